import { Injectable, Logger } from '@nestjs/common';
import type { CandidateComment } from '../../ingestion';
import { BatchLifecycleService } from '../batches/batch-lifecycle.service';
import { BatchesRepository, type RejectionInput } from '../batches/batches.repository';
import { FileStore } from '../batches/file-store';
import { TimeSlice } from '../common/time-slice';
import {
  InsightsRepository,
  type Correction,
  type ExistingKey,
  type NewInsight,
} from '../insights/insights.repository';
import { moderationStatusFor } from '../moderation/review-policy';
import { PipelineQueues } from '../queues/pipeline-queues';
import { TaggingService } from '../tagging/tagging.service';
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
 * A row re-uploaded by the same organisation with the reference of a comment stored from an
 * earlier batch, but saying something different, corrects that comment (as the upload template
 * promises). The same content again is a duplicate; a reference repeated within one batch keeps
 * its first row (the file is ambiguous about which is right).
 */
function isCorrection(row: NewInsight, prior: ExistingKey, batchId: string): boolean {
  return (
    row.externalRef !== null && prior.batchId !== batchId && prior.contentHash !== row.contentHash
  );
}

/**
 * The enrich step for one chunk: de-identify, place, tag and store every comment, queue them for
 * indexing and mark the chunk done, all in one transaction. Replaying a chunk changes nothing.
 */
@Injectable()
export class EnrichChunkService {
  private readonly logger = new Logger(EnrichChunkService.name);

  constructor(
    private readonly batches: BatchesRepository,
    private readonly insights: InsightsRepository,
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
    await this.batches.transaction(async (em) => {
      // Deletion takes this row's update lock: either it waits for this chunk and removes its rows
      // too, or it went first and the chunk stores nothing.
      const locked = await this.batches.lock(em, batchId, 'share');
      if (!locked || locked.status === 'failed' || locked.status === 'deleted') return;
      // A moderator's decision on the batch made since these rows were enriched applies to them too.
      const moderation = moderationStatusFor(locked.reviewStatus);
      for (const r of rows) r.moderationStatus = moderation;
      const current = await em.query<Array<{ status: string }>>(
        `SELECT status FROM batch_chunk WHERE batch_id = $1 AND chunk_no = $2 FOR UPDATE`,
        [batchId, chunkNo],
      );
      if (current[0]?.status !== 'pending') return;

      // Within the chunk the first of several identical comments is kept; the others are duplicates of it.
      const firstByKey = new Map<string, NewInsight>();
      const unique: NewInsight[] = [];
      const dupes: Array<{ row: NewInsight; of: NewInsight }> = [];
      for (const r of rows) {
        const first = firstByKey.get(r.dedupKey);
        if (first) dupes.push({ row: r, of: first });
        else {
          firstByKey.set(r.dedupKey, r);
          unique.push(r);
        }
      }
      const inserted = await this.insights.insertNew(em, unique);
      const conflicted = unique.filter((r) => !inserted.has(r.dedupKey));
      const existing = new Map(
        (
          await this.insights.findByDedupKeys(
            em,
            batch.organisationId,
            conflicted.map((r) => r.dedupKey),
          )
        ).map((e) => [e.dedupKey, e]),
      );
      const rejections: RejectionInput[] = [];
      const duplicateOf = (
        r: NewInsight,
        id: string | null,
        where: string,
        keptHash: string,
      ): RejectionInput => ({
        rowNumber: r.rowNumber,
        part: r.part,
        outcome: 'duplicate',
        reason: 'duplicate',
        field: null,
        // A reference repeated within one file with other content: the first row stands.
        message:
          r.contentHash === keptHash
            ? `Same comment as ${where}`
            : `Same reference as ${where}, with different content; the first row was kept`,
        duplicateOf: id,
      });
      const idOf = new Map<string, string>();
      const corrections: Correction[] = [];
      for (const r of unique) {
        const prior = existing.get(r.dedupKey);
        if (!prior) {
          idOf.set(r.dedupKey, r.id);
          continue;
        }
        idOf.set(r.dedupKey, prior.id);
        const replay =
          prior.batchId === batchId && prior.rowNumber === r.rowNumber && prior.part === r.part;
        if (replay) continue;
        if (isCorrection(r, prior, batchId)) {
          corrections.push({ id: prior.id, row: r, fromBatchId: batchId });
          rejections.push({
            rowNumber: r.rowNumber,
            part: r.part,
            outcome: 'updated',
            reason: 'corrected',
            field: null,
            message: `Updated insight ${prior.id} (corrected by re-upload)`,
            duplicateOf: prior.id,
          });
          continue;
        }
        const where =
          prior.batchId === batchId
            ? `row ${prior.rowNumber} of this batch`
            : `an insight from an earlier batch (${prior.id})`;
        rejections.push(duplicateOf(r, prior.id, where, prior.contentHash));
      }
      for (const { row, of } of dupes) {
        rejections.push(
          duplicateOf(
            row,
            idOf.get(of.dedupKey) ?? null,
            `row ${of.rowNumber} of this batch`,
            of.contentHash,
          ),
        );
      }
      await this.insights.applyCorrections(em, corrections);
      await this.batches.addRejections(batchId, rejections, em);
      await this.batches.markChunk(
        em,
        batchId,
        chunkNo,
        'done',
        stats,
        unplaced.top(CHUNK_UNPLACED_KEPT),
      );
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
    await this.batches.transaction(async (em) => {
      await this.batches.addRejections(
        batchId,
        rows.map((r) => ({
          ...r,
          outcome: 'rejected' as const,
          reason: 'processing_failed',
          field: null,
          message: `This row could not be processed (${reason})`,
        })),
        em,
      );
      await this.batches.markChunk(em, batchId, chunkNo, 'failed', {});
    });
    this.logger.error(`Batch ${batchId} chunk ${chunkNo} failed for good`);
    await this.files.deleteChunk(batchId, chunkNo);
    await this.lifecycle.advance(batchId);
  }

  private enricherFor(lookups: Parameters<CommentEnricher['enricherFor']>[0]) {
    return this.enricher.enricherFor(lookups);
  }
}
