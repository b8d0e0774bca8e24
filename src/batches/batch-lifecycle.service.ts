import { Injectable, Logger } from '@nestjs/common';
import { PipelineQueues } from '../queues/pipeline-queues';
import { canTransition } from './batch-status';
import { BatchesRepository } from './batches.repository';
import { FileStore } from './file-store';

/** Answers not placed shown per field on the batch: enough to see which codes to map. */
export const UNPLACED_SHOWN = 10;

/**
 * Moves a batch through its states from facts in PostgreSQL (chunks done, rows stored, outbox
 * drained), so any worker can call it at any time, any number of times.
 */
@Injectable()
export class BatchLifecycleService {
  private readonly logger = new Logger(BatchLifecycleService.name);

  constructor(
    private readonly batches: BatchesRepository,
    private readonly files: FileStore,
    private readonly queues: PipelineQueues,
  ) {}

  /** enriching → indexing once every chunk is done; indexing → complete once every insight is indexed. */
  async advance(batchId: string): Promise<void> {
    // Most calls come from chunks finishing while others are still pending: answer those without
    // taking the batch row lock that every chunk's transaction shares.
    if (!(await this.batches.mayAdvance(batchId))) return;
    const next = await this.batches.transaction(async (tx) => {
      const batch = await tx.lock(batchId, 'update');
      if (!batch || !batch.parseComplete) return undefined;
      if (batch.status === 'enriching') {
        if ((await tx.chunkTally(batchId)).pending > 0) return undefined;
        const counts = await tx.countOutcomes(batchId);
        const stats = await tx.chunkStats(batchId);
        const unplaced = await tx.chunkUnplaced(batchId);
        const warnings = Object.fromEntries(
          Object.entries(batch.errorSummary).filter(([k]) => k.startsWith('warning:')),
        );
        return tx.transition(batch, 'enriched', {
          accepted: counts.accepted,
          rejected: counts.rejected,
          duplicates: counts.duplicates,
          errorSummary: { ...warnings, ...counts.byReason, ...stats },
          updated: counts.updated,
          unplacedValues: unplaced.empty ? null : unplaced.list(UNPLACED_SHOWN),
        });
      }
      if (batch.status === 'indexing') {
        const pending = await tx.pendingUpserts(batchId);
        const indexed = Math.max(0, batch.accepted - pending);
        if (pending > 0) {
          await tx.setIndexed(batchId, indexed);
          return undefined;
        }
        const { failed } = await tx.chunkTally(batchId);
        return tx.transition(batch, failed > 0 ? 'indexedWithFailures' : 'indexed', {
          indexed,
          completedAt: () => 'now()',
        });
      }
      return undefined;
    });
    if (next === 'indexing') {
      await this.queues.requestDrain();
      await this.advance(batchId);
    } else if (next === 'complete' || next === 'partially_failed') {
      await this.files.deleteBatchFiles(batchId);
      this.logger.log(`Batch ${batchId} is ${next}`);
    }
  }

  /** Shows documents written for batches still enriching in their `indexed` count. */
  async indexedWhileEnriching(perBatch: Map<string, number>): Promise<void> {
    for (const [batchId, n] of perBatch) await this.batches.addIndexedWhileEnriching(batchId, n);
  }

  /** Fails the batch and removes everything it produced: a failed batch leaves no partial rows. */
  async fail(batchId: string, message: string, code = 'failed'): Promise<void> {
    await this.batches.transaction(async (tx) => {
      const batch = await tx.lock(batchId, 'update');
      // A deleted batch stays deleted: a late failure of one of its jobs must not overwrite the
      // tombstone; nor does a complete or failed batch fail again.
      if (!batch || !canTransition(batch.status, 'fail')) return;
      await tx.purgeRows(batchId);
      await tx.transition(batch, 'fail', {
        errorMessage: message,
        errorSummary: { [code]: 1 },
        accepted: 0,
        rejected: 0,
        duplicates: 0,
        updated: 0,
        indexed: 0,
        unplacedValues: null,
        completedAt: () => 'now()',
      });
    });
    await this.files.deleteBatchFiles(batchId);
    await this.queues.requestDrain().catch(() => undefined);
    this.logger.warn(`Batch ${batchId} failed: ${code}`);
  }
}
