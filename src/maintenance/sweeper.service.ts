import { Injectable, Logger } from '@nestjs/common';
import { BatchLifecycleService } from '../batches/batch-lifecycle.service';
import { BatchesRepository } from '../batches/batches.repository';
import { FileStore } from '../batches/file-store';
import { EnrichChunkService } from '../enrichment/enrich-chunk.service';
import { PipelineQueues } from '../queues/pipeline-queues';
import { OutboxRepository } from '../search/indexing/outbox.repository';

export interface SweepReport {
  ingestRequeued: number;
  enrichRequeued: number;
  indexRequeued: boolean;
  advanced: number;
  partialUploadsRemoved: number;
}

/**
 * PostgreSQL holds the truth about work in flight; Redis may lose it (a restart without
 * persistence, a FLUSHALL). The sweeper finds batches, chunks and outbox rows with no live job and
 * enqueues them again. Every job is idempotent, so a spare job costs nothing.
 */
@Injectable()
export class SweeperService {
  private readonly logger = new Logger(SweeperService.name);

  constructor(
    private readonly batches: BatchesRepository,
    private readonly lifecycle: BatchLifecycleService,
    private readonly chunks: EnrichChunkService,
    private readonly files: FileStore,
    private readonly outbox: OutboxRepository,
    private readonly queues: PipelineQueues,
  ) {}

  async sweep(): Promise<SweepReport> {
    const report: SweepReport = {
      ingestRequeued: 0,
      enrichRequeued: 0,
      indexRequeued: false,
      advanced: 0,
      partialUploadsRemoved: 0,
    };
    for (const batch of await this.batches.unfinished()) {
      if (!batch.parseComplete) {
        if (await this.queues.requestIngest(batch.id)) report.ingestRequeued += 1;
        continue;
      }
      if (batch.status === 'enriching') {
        for (const chunk of await this.batches.pendingChunks(batch.id)) {
          if (!this.files.hasChunk(batch.id, chunk.chunkNo)) {
            await this.chunks.giveUp(batch.id, chunk.chunkNo, 'chunk_missing');
            continue;
          }
          if (await this.queues.requestEnrich(batch.id, chunk.chunkNo)) report.enrichRequeued += 1;
        }
      }
      await this.lifecycle.advance(batch.id);
      report.advanced += 1;
    }
    if (await this.outbox.hasPending()) {
      report.indexRequeued = await this.queues.requestDrainIfIdle();
    }
    // Last, so a file-system problem here never holds up the work above.
    report.partialUploadsRemoved = await this.files.removeStaleIncoming().catch((e: unknown) => {
      this.logger.warn(`Could not remove partial uploads (${(e as Error).message})`);
      return 0;
    });
    if (report.ingestRequeued || report.enrichRequeued || report.indexRequeued)
      this.logger.log(report, 'Sweeper re-enqueued work');
    return report;
  }
}
