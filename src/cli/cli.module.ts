import { type DynamicModule, Module } from '@nestjs/common';
import { IdentityModule } from '../access/identity.module';
import { BatchesModule } from '../batches/batches.module';
import { CoreModule } from '../core.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { PlacesModule } from '../reference/places/places.module';
import { RetentionModule } from '../retention/retention.module';
import { SearchModule } from '../search/search.module';
import { TaxonomyModule } from '../taxonomy/taxonomy.module';
import { BorrowedWorkersModule } from '../queues/borrowed-workers.module';
import { WorkersModule } from '../workers.module';

/** What CLI commands need; `withWorkers` also runs the job processors in the same process. */
@Module({})
export class CliModule {
  static forCommand(opts: { withWorkers?: boolean } = {}): DynamicModule {
    return {
      module: CliModule,
      imports: [
        CoreModule,
        OrganisationsModule,
        IdentityModule,
        BatchesModule,
        PlacesModule,
        SearchModule,
        TaxonomyModule,
        RetentionModule,
        ...(opts.withWorkers ? [WorkersModule, BorrowedWorkersModule] : []),
      ],
    };
  }
}
