import { Module } from '@nestjs/common';
import { AccessModule } from './access/access.module';
import { BatchesModule } from './batches/batches.module';
import { CoreModule } from './core.module';
import { HealthModule } from './health/health.module';
import { ModerationModule } from './moderation/moderation.module';
import { RetentionModule } from './retention/retention.module';
import { SearchModule } from './search/search.module';
import { TaxonomyModule } from './taxonomy/taxonomy.module';
import { WebModule } from './web/web.module';

/** The HTTP API process. */
@Module({
  imports: [
    CoreModule,
    AccessModule,
    HealthModule,
    BatchesModule,
    SearchModule,
    TaxonomyModule,
    ModerationModule,
    RetentionModule,
    WebModule,
  ],
})
export class ApiModule {}
