import { Injectable, Logger } from '@nestjs/common';
import { PipelineQueues } from '../queues/pipeline-queues';
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
    const next = await this.batches.transaction(async (em) => {
      const batch = await this.batches.lock(em, batchId, 'update');
      if (!batch || !batch.parseComplete) return undefined;
      if (batch.status === 'enriching') {
        const pending = await em.query<Array<{ n: number; failed: number }>>(
          `SELECT count(*) FILTER (WHERE status = 'pending')::int AS n, count(*) FILTER (WHERE status = 'failed')::int AS failed
           FROM batch_chunk WHERE batch_id = $1`,
          [batchId],
        );
        if (pending[0].n > 0) return undefined;
        const counts = await this.batches.countOutcomes(em, batchId);
        const stats = await this.batches.chunkStats(em, batchId);
        const unplaced = await this.batches.chunkUnplaced(em, batchId);
        const warnings = Object.fromEntries(
          Object.entries(batch.errorSummary).filter(([k]) => k.startsWith('warning:')),
        );
        await em.query(
          `UPDATE batch SET status = 'indexing', accepted = $2, rejected = $3, duplicates = $4, error_summary = $5, updated = $6,
                  unplaced_values = $7, updated_at = now() WHERE id = $1`,
          [
            batchId,
            counts.accepted,
            counts.rejected,
            counts.duplicates,
            JSON.stringify({ ...warnings, ...counts.byReason, ...stats }),
            counts.updated,
            unplaced.empty ? null : JSON.stringify(unplaced.list(UNPLACED_SHOWN)),
          ],
        );
        return 'indexing' as const;
      }
      if (batch.status === 'indexing') {
        const [{ pending }] = await em.query<Array<{ pending: number }>>(
          `SELECT count(DISTINCT insight_id)::int AS pending FROM index_outbox WHERE batch_id = $1 AND operation = 'upsert'`,
          [batchId],
        );
        const indexed = Math.max(0, batch.accepted - pending);
        if (pending > 0) {
          await em.query(`UPDATE batch SET indexed = $2 WHERE id = $1`, [batchId, indexed]);
          return undefined;
        }
        const [{ failed }] = await em.query<Array<{ failed: number }>>(
          `SELECT count(*)::int AS failed FROM batch_chunk WHERE batch_id = $1 AND status = 'failed'`,
          [batchId],
        );
        const status = failed > 0 ? 'partially_failed' : 'complete';
        await em.query(
          `UPDATE batch SET status = $2, indexed = $3, completed_at = now(), updated_at = now() WHERE id = $1`,
          [batchId, status, indexed],
        );
        return status;
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
    await this.batches.transaction(async (em) => {
      const batch = await this.batches.lock(em, batchId, 'update');
      // A deleted batch stays deleted: a late failure of one of its jobs must not overwrite the tombstone.
      if (!batch || ['complete', 'failed', 'deleted'].includes(batch.status)) return;
      await this.batches.purgeRows(em, batchId);
      await em.query(
        `UPDATE batch SET status = 'failed', error_message = $2, error_summary = $3, accepted = 0, rejected = 0, duplicates = 0,
                updated = 0, indexed = 0, unplaced_values = NULL, completed_at = now(), updated_at = now() WHERE id = $1`,
        [batchId, message, JSON.stringify({ [code]: 1 })],
      );
    });
    await this.files.deleteBatchFiles(batchId);
    await this.queues.requestDrain().catch(() => undefined);
    this.logger.warn(`Batch ${batchId} failed: ${code}`);
  }
}
