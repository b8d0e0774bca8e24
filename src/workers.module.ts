import { Module, type OnModuleInit, type Type } from '@nestjs/common';
import { BatchesModule } from './batches/batches.module';
import { EnrichProcessor } from './enrichment/enrich.processor';
import { EnrichmentModule } from './enrichment/enrichment.module';
import { IngestModule } from './ingest/ingest.module';
import { IngestProcessor } from './ingest/ingest.processor';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { MaintenanceProcessor } from './maintenance/maintenance.processor';
import { checkProcessors } from './queues/processor-registry';
import { IndexProcessor } from './search/indexing/index.processor';
import { IndexingModule } from './search/indexing/indexing.module';

/** Every BullMQ processor, one per queue (ingest, enrich, index, maintenance). */
export const WORKER_PROCESSORS: Array<Type<unknown>> = [
  IngestProcessor,
  EnrichProcessor,
  IndexProcessor,
  MaintenanceProcessor,
];

@Module({
  imports: [BatchesModule, IngestModule, EnrichmentModule, IndexingModule, MaintenanceModule],
  providers: [IngestProcessor, EnrichProcessor, IndexProcessor],
})
export class WorkersModule implements OnModuleInit {
  onModuleInit(): void {
    checkProcessors(WORKER_PROCESSORS);
  }
}
