import { Injectable, Logger } from '@nestjs/common';
import type { CandidateComment } from '../../ingestion';
import { BatchLifecycleService } from '../batches/batch-lifecycle.service';
import { BatchesRepository } from '../batches/batches.repository';
import { FileStore } from '../batches/file-store';
import { TimeSlice } from '../common/time-slice';
import type { NewInsight } from '../insights/insights.repository';
import { PipelineQueues } from '../queues/pipeline-queues';
import { TaggingService } from './tagging/tagging.service';
import { CommentEnricher } from './comment-enricher.service';
import { PlaceLookupService } from './place-lookup.service';
import { UnplacedTally } from '../batches/unplaced-tally';

/**
 * Answers not placed kept per field and chunk, the most frequent first: the batch shows the ten
 * most frequent over all its chunks, so a chunk keeps enough for that sum to be near exact.
 */
const CHUNK_UNPLACED_KEPT = 50;

/**
 * Longest synchronous stretch of enriching before the loop is handed back. Measured on one core
 * of the development machine, enriching a chunk of 2,000 comments (redaction, place, themes,
 * sentiment) holds the event loop for ~120 ms at 170 characters a comment, ~830 ms at 5,000 and
 * ~3 s at 20,000 (MAX_COMMENT_LENGTH); an active model, a busy machine and four enrich jobs
 * sharing one loop (WORKER_CONCURRENCY) stretch that further. BullMQ renews job locks (30 s) from
 * a timer that looks every 7.5 s and renews those older than that, so a loop held for ~15 s or
 * more lets a lock lapse: the job is "stalled" and runs twice. Yielding every 50 ms keeps each
 * stretch short at a cost of a few microseconds a yield.
 */
const ENRICH_SLICE_MS = 50;

/**
 * The enrich step for one chunk: de-identify, place, tag and store every comment, queue them for
 * indexing and mark the chunk done, all in one transaction. Replaying a chunk changes nothing.
 */
@Injectable()
export class EnrichChunkService {
  private readonly logger = new Logger(EnrichChunkService.name);

  constructor(
    private readonly batches: BatchesRepository,
    private readonly files: FileStore,
    private readonly enricher: CommentEnricher,
    private readonly places: PlaceLookupService,
    private readonly lifecycle: BatchLifecycleService,
    private readonly queues: PipelineQueues,
    private readonly tagging: TaggingService,
  ) {}

  async process(batchId: string, chunkNo: number): Promise<void> {
    const [batch, chunk] = await Promise.all([
      this.batches.findById(batchId),
      this.batches.findChunk(batchId, chunkNo),
    ]);
    // A failed or deleted batch keeps nothing: its chunk is dropped (deletion removed its rows).
    if (!batch || !chunk || batch.status === 'failed' || batch.status === 'deleted') {
      await this.files.deleteChunk(batchId, chunkNo);
      return;
    }
    if (chunk.status !== 'pending') {
      await this.files.deleteChunk(batchId, chunkNo);
      await this.lifecycle.advance(batchId);
      return;
    }
    const t0 = Date.now();
    const comments = (await this.files.readChunk(batchId, chunkNo)).map(
      (l) => JSON.parse(l) as CandidateComment,
    );
    const enricher = this.enricherFor(await this.places.lookupsFor(comments));
    // A model or taxonomy activated by another process before this chunk began applies to it; the
    // cached view alone could be seconds old. Two small queries a chunk of thousands of comments.
    await this.tagging.fresh();

    const stats: Record<string, number> = {};
    const unplaced = new UnplacedTally();
    const rows: NewInsight[] = [];
    const slice = new TimeSlice(ENRICH_SLICE_MS);
    for (const c of comments) {
      const out = this.enricher.enrich(enricher, batch, c);
      for (const s of out.stats) stats[s] = (stats[s] ?? 0) + 1;
      for (const u of out.unplaced) unplaced.add(u.field, u.value);
      rows.push(out.insight);
      if (slice.spent()) await slice.yield();
    }

    const t1 = Date.now();
    await this.batches.storeChunk({
      batchId,
      organisationId: batch.organisationId,
      chunkNo,
      rows,
      stats,
      unplaced: unplaced.top(CHUNK_UNPLACED_KEPT),
    });
    const t2 = Date.now();
    await this.files.deleteChunk(batchId, chunkNo);
    await this.lifecycle.advance(batchId);
    // Lets the index job start on stored comments while their batch is still being enriched, in
    // whole Meilisearch tasks only, so indexing overlaps enrichment instead of following it. Only a
    // head start: the drain queued when the batch finishes enriching indexes everything anyway.
    await this.queues
      .requestEarlyDrain()
      .catch((e: unknown) =>
        this.logger.warn(
          `Could not queue early indexing: ${e instanceof Error ? e.message : String(e)}`,
        ),
      );
    this.logger.debug(
      `Chunk ${chunkNo} of ${batchId}: ${comments.length} comments; read+enrich ${t1 - t0} ms, store ${t2 - t1} ms, advance ${Date.now() - t2} ms`,
    );
  }

  /**
   * Called when a chunk has failed for good (its job ran out of attempts): its rows are recorded as
   * rejected with reason processing_failed, so every row stays accounted for, and the batch can finish.
   */
  async giveUp(
    batchId: string,
    chunkNo: number,
    reason: 'job_failed' | 'chunk_missing',
  ): Promise<void> {
    const chunk = await this.batches.findChunk(batchId, chunkNo);
    if (!chunk || chunk.status !== 'pending') return;
    let rows: Array<{ rowNumber: number; part: number }> = [];
    if (this.files.hasChunk(batchId, chunkNo)) {
      rows = (await this.files.readChunk(batchId, chunkNo)).map((l) => {
        const c = JSON.parse(l) as CandidateComment;
        return { rowNumber: c.rowNumber, part: c.part };
      });
    }
    await this.batches.failChunk(
      batchId,
      chunkNo,
      rows.map((r) => ({
        ...r,
        outcome: 'rejected' as const,
        reason: 'processing_failed',
        field: null,
        message: `This row could not be processed (${reason})`,
      })),
    );
    this.logger.error(`Batch ${batchId} chunk ${chunkNo} failed for good`);
    await this.files.deleteChunk(batchId, chunkNo);
    await this.lifecycle.advance(batchId);
  }

  private enricherFor(lookups: Parameters<CommentEnricher['enricherFor']>[0]) {
    return this.enricher.enricherFor(lookups);
  }
}
