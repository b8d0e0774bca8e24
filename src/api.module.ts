import { Module } from '@nestjs/common';
import { BatchesModule } from './batches/batches.module';
import { CoreModule } from './core.module';
import { HealthModule } from './health/health.module';
import { SearchModule } from './search/search.module';
import { TaxonomyModule } from './taxonomy/taxonomy.module';

/** The HTTP API process. */
@Module({
  imports: [CoreModule, HealthModule, BatchesModule, SearchModule, TaxonomyModule],
})
export class ApiModule {}
