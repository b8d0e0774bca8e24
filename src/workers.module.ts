import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BatchesModule } from './batches/batches.module';
import { EnrichProcessor } from './enrichment/enrich.processor';
import { EnrichmentModule } from './enrichment/enrichment.module';
import { IngestModule } from './batches/intake/ingest.module';
import { IngestProcessor } from './batches/intake/ingest.processor';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { ProcessorCheck } from './queues/processor-registry';
import { IndexProcessor } from './search/indexing/index.processor';
import { IndexingModule } from './search/indexing/indexing.module';

/**
 * The BullMQ processors, one per queue (ingest, enrich, index here; maintenance in its module).
 * ProcessorCheck refuses to start a worker whose registered processors miss a queue or a job.
 */
@Module({
  imports: [
    DiscoveryModule,
    BatchesModule,
    IngestModule,
    EnrichmentModule,
    IndexingModule,
    MaintenanceModule,
  ],
  providers: [IngestProcessor, EnrichProcessor, IndexProcessor, ProcessorCheck],
})
export class WorkersModule {}
