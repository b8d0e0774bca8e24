import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Not, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { BATCH_SCOPE_COLUMNS, toSqlWhere, type AccessScope } from '../access/scope';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { InsightsRepository, type NewInsight } from '../insights/insights.repository';
import { moderationStatusFor } from '../moderation/review-policy';
import { BatchChunk } from './batch-chunk.entity';
import {
  assertTransition,
  BATCH_TRANSITIONS,
  INITIAL_BATCH_STATUS,
  type BatchEvent,
} from './batch-status';
import { Batch, type BatchStatus, type ReviewStatus } from './batch.entity';
import { chunkOutcomes, firstOfEachKey } from './chunk-outcomes';
import { RejectedRow, type RowOutcome } from './rejected-row.entity';
import { UnplacedTally } from './unplaced-tally';

export interface RejectionInput {
  rowNumber: number;
  part: number;
  outcome: RowOutcome;
  reason: string;
  field?: string | null;
  message: string;
  duplicateOf?: string | null;
}

export interface BatchListFilter {
  /** Which batches the caller may see (see batchScopeSql). */
  scope: AccessScope;
  organisationId?: string;
  status?: BatchStatus;
  sourceType?: string;
  reviewStatus?: ReviewStatus;
  limit: number;
  offset: number;
}

/** received = accepted + updated + rejected + duplicates. */
export interface BatchCounts {
  accepted: number;
  /** Rows that corrected a comment stored from an earlier batch (same reference, new content). */
  updated: number;
  rejected: number;
  duplicates: number;
}

/** Fields written beside a transition, or by a plain update: never the status itself. */
export type BatchFields = Omit<QueryDeepPartialEntity<Batch>, 'status'>;

/** A chunk's enriched rows, ready to store (see BatchesRepository.storeChunk). */
export interface EnrichedChunk {
  batchId: string;
  organisationId: string;
  chunkNo: number;
  rows: NewInsight[];
  stats: Record<string, number>;
  unplaced: Record<string, Record<string, number>>;
}

/**
 * The one statement that writes `batch.status`: the event's status from the transition table,
 * only while the batch is in a status the event is allowed from (so concurrent workers cannot
 * both move it). True when the batch moved.
 */
export async function writeBatchTransition(
  em: EntityManager,
  batchId: string,
  event: BatchEvent,
  fields: BatchFields = {},
): Promise<boolean> {
  const { from, to } = BATCH_TRANSITIONS[event];
  const res = await em
    .createQueryBuilder()
    .update(Batch)
    .set({ ...fields, status: to })
    .where('id = :id AND status IN (:...from)', { id: batchId, from })
    .execute();
  return (res.affected ?? 0) > 0;
}

/** Data access for batches, their chunks and their rejected rows. */
@Injectable()
export class BatchesRepository {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly insights: InsightsRepository,
  ) {}

  /** Runs `work` in one transaction, with the batch's locked reads and writes (see BatchTransaction). */
  transaction<T>(work: (tx: BatchTransaction) => Promise<T>): Promise<T> {
    return this.ds.transaction((em) => work(new BatchTransaction(em)));
  }

  /** A new batch, in the table's first status. */
  create(fields: Omit<Partial<Batch>, 'status'>): Promise<Batch> {
    const repo = this.ds.getRepository(Batch);
    return repo.save(repo.create({ ...fields, status: INITIAL_BATCH_STATUS }));
  }

  findById(id: string): Promise<Batch | null> {
    return this.ds
      .getRepository(Batch)
      .findOne({ where: { id }, relations: { organisation: true } });
  }

  /** The batch if the caller may see it; null both when it is missing and when it is hidden. */
  async findVisible(id: string, scope: AccessScope): Promise<Batch | null> {
    const qb = this.ds
      .getRepository(Batch)
      .createQueryBuilder('b')
      .leftJoinAndSelect('b.organisation', 'o')
      .where('b.id = :id', { id });
    applyBatchScope(qb, scope);
    return qb.getOne();
  }

  /** The live batch made from this file; a deleted batch's tombstone does not count. */
  findBySha(organisationId: string, sha256: string): Promise<Batch | null> {
    return this.ds
      .getRepository(Batch)
      .findOne({ where: { organisationId, fileSha256: sha256, status: Not('deleted') } });
  }

  async list(filter: BatchListFilter): Promise<{ items: Batch[]; total: number }> {
    const qb = this.ds
      .getRepository(Batch)
      .createQueryBuilder('b')
      .leftJoinAndSelect('b.organisation', 'o')
      .orderBy('b.createdAt', 'DESC')
      .take(filter.limit)
      .skip(filter.offset);
    applyBatchScope(qb, filter.scope);
    if (filter.organisationId)
      qb.andWhere('b.organisation_id = :org', { org: filter.organisationId });
    if (filter.status) qb.andWhere('b.status = :status', { status: filter.status });
    else qb.andWhere(`b.status <> 'deleted'`);
    if (filter.sourceType) qb.andWhere('b.source_type = :st', { st: filter.sourceType });
    if (filter.reviewStatus) qb.andWhere('b.review_status = :rs', { rs: filter.reviewStatus });
    const [items, total] = await qb.getManyAndCount();
    return { items, total };
  }

  /**
   * Moves the batch by `event` if it is in a status the event is allowed from; false (and no
   * change) when it is not, e.g. because another worker moved or deleted it meanwhile.
   */
  transition(id: string, event: BatchEvent, fields: BatchFields = {}): Promise<boolean> {
    return writeBatchTransition(this.ds.manager, id, event, fields);
  }

  async update(id: string, fields: BatchFields): Promise<void> {
    await this.ds.getRepository(Batch).update({ id }, fields);
  }

  /**
   * Counts comments indexed while their batch is still enriching. Once the batch reaches
   * `indexing` its count is worked out afresh from the outbox, so this only has to be close.
   */
  async addIndexedWhileEnriching(id: string, n: number): Promise<void> {
    await this.ds.query(
      `UPDATE batch SET indexed = indexed + $2 WHERE id = $1 AND status = 'enriching'`,
      [id, n],
    );
  }

  /** Idempotent: a row already recorded (same batch, row and part) is left as it is. */
  addRejections(batchId: string, rows: RejectionInput[]): Promise<void> {
    return addRejections(this.ds.manager, batchId, rows);
  }

  /**
   * Stores an enriched chunk in one transaction: new comments inserted, corrections applied,
   * duplicates and corrections recorded as row outcomes, the chunk marked done. Nothing is stored
   * when the batch has failed or been deleted, or the chunk is no longer pending (a replay).
   * Deletion takes the batch row's update lock: either it waits for this chunk and removes its
   * rows too, or it went first and the chunk stores nothing. Returns whether the chunk was stored.
   */
  storeChunk(chunk: EnrichedChunk): Promise<boolean> {
    const { batchId, chunkNo, rows } = chunk;
    return this.ds.transaction(async (em) => {
      const locked = await lockBatch(em, batchId, 'share');
      if (!locked || locked.status === 'failed' || locked.status === 'deleted') return false;
      // A moderator's decision on the batch made since these rows were enriched applies to them too.
      const moderation = moderationStatusFor(locked.reviewStatus);
      for (const r of rows) r.moderationStatus = moderation;
      const current = await em.query<Array<{ status: string }>>(
        `SELECT status FROM batch_chunk WHERE batch_id = $1 AND chunk_no = $2 FOR UPDATE`,
        [batchId, chunkNo],
      );
      if (current[0]?.status !== 'pending') return false;

      const { unique, repeats } = firstOfEachKey(rows);
      const inserted = await this.insights.insertNew(em, unique);
      const conflicted = unique.filter((r) => !inserted.has(r.dedupKey));
      const existing = await this.insights.findByDedupKeys(
        em,
        chunk.organisationId,
        conflicted.map((r) => r.dedupKey),
      );
      const { corrections, outcomes } = chunkOutcomes(
        batchId,
        unique,
        repeats,
        new Map(existing.map((e) => [e.dedupKey, e])),
      );
      await this.insights.applyCorrections(em, corrections);
      await addRejections(em, batchId, outcomes);
      await markChunk(em, batchId, chunkNo, 'done', chunk.stats, chunk.unplaced);
      return true;
    });
  }

  /** A chunk failed for good: its rows are recorded as rejected and the chunk as failed, together. */
  async failChunk(batchId: string, chunkNo: number, rows: RejectionInput[]): Promise<void> {
    await this.ds.transaction(async (em) => {
      await addRejections(em, batchId, rows);
      await markChunk(em, batchId, chunkNo, 'failed', {});
    });
  }

  findChunk(batchId: string, chunkNo: number): Promise<BatchChunk | null> {
    return this.ds.getRepository(BatchChunk).findOne({ where: { batchId, chunkNo } });
  }

  /** Returns true when this call recorded the chunk (false: it was there already). */
  async addChunk(
    chunk: Pick<BatchChunk, 'batchId' | 'chunkNo' | 'firstRow' | 'lastRow' | 'size'>,
  ): Promise<boolean> {
    const rows = await this.ds.query<unknown[]>(
      `INSERT INTO batch_chunk (batch_id, chunk_no, first_row, last_row, size) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (batch_id, chunk_no) DO NOTHING RETURNING chunk_no`,
      [chunk.batchId, chunk.chunkNo, chunk.firstRow, chunk.lastRow, chunk.size],
    );
    return rows.length > 0;
  }

  /** False when the batch certainly cannot change state now (still parsing, or chunks pending). */
  async mayAdvance(batchId: string): Promise<boolean> {
    const [r] = await this.ds.query<
      Array<{ status: string; parse_complete: boolean; pending: boolean }>
    >(
      `SELECT b.status, b.parse_complete,
              EXISTS (SELECT 1 FROM batch_chunk c WHERE c.batch_id = b.id AND c.status = 'pending') AS pending
       FROM batch b WHERE b.id = $1`,
      [batchId],
    );
    if (!r || !r.parse_complete) return false;
    if (r.status === 'enriching') return !r.pending;
    return r.status === 'indexing';
  }

  pendingChunks(batchId: string): Promise<BatchChunk[]> {
    return this.ds
      .getRepository(BatchChunk)
      .find({ where: { batchId, status: 'pending' }, order: { chunkNo: 'ASC' } });
  }

  async chunkProgress(batchId: string): Promise<{ total: number; done: number; failed: number }> {
    const [r] = await this.ds.query<Array<{ total: number; done: number; failed: number }>>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'done')::int AS done,
              count(*) FILTER (WHERE status = 'failed')::int AS failed
       FROM batch_chunk WHERE batch_id = $1`,
      [batchId],
    );
    return r;
  }

  /** Streams rejected rows in file order, a page at a time. */
  async *rejections(batchId: string, pageSize = 5000): AsyncGenerator<RejectedRow[]> {
    let after = { row: -1, part: -1 };
    for (;;) {
      const page = await this.ds
        .getRepository(RejectedRow)
        .createQueryBuilder('r')
        .where('r.batch_id = :batchId', { batchId })
        .andWhere('(r.row_number, r.part) > (:row, :part)', after)
        .orderBy('r.row_number', 'ASC')
        .addOrderBy('r.part', 'ASC')
        .take(pageSize)
        .getMany();
      if (!page.length) return;
      yield page;
      const last = page[page.length - 1];
      after = { row: last.rowNumber, part: last.part };
    }
  }

  /** Batches not finished, for the sweeper. */
  unfinished(): Promise<Batch[]> {
    return this.ds
      .getRepository(Batch)
      .createQueryBuilder('b')
      .where(`b.status IN ('received', 'parsing', 'enriching', 'indexing')`)
      .getMany();
  }

  /** True once the batch has been deleted: a worker still holding one of its jobs drops the work. */
  async isDeleted(batchId: string): Promise<boolean> {
    const rows = await this.ds.query<unknown[]>(
      `SELECT 1 FROM batch WHERE id = $1 AND status = 'deleted'`,
      [batchId],
    );
    return rows.length > 0;
  }

  /** Chunks and rejected rows a worker wrote for a batch while it was being deleted. */
  async removeLeftoversOfDeleted(batchId: string): Promise<void> {
    const deleted = `EXISTS (SELECT 1 FROM batch WHERE id = $1 AND status = 'deleted')`;
    await this.ds.query(`DELETE FROM rejected_row WHERE batch_id = $1 AND ${deleted}`, [batchId]);
    await this.ds.query(`DELETE FROM batch_chunk WHERE batch_id = $1 AND ${deleted}`, [batchId]);
  }
}

/**
 * A batch's reads and writes inside one transaction, for the lifecycle: the batch row lock, the
 * counts worked out from its rows, and its transitions. Services get this, never the connection.
 */
export class BatchTransaction {
  constructor(private readonly em: EntityManager) {}

  /** Locks the batch row for the rest of the transaction. */
  lock(id: string, mode: 'update' | 'share'): Promise<Batch | null> {
    return lockBatch(this.em, id, mode);
  }

  /**
   * Moves a locked batch by `event`. Throws IllegalBatchTransition when the table does not allow
   * the event from the status the batch was locked in: the caller's defect, never bad input.
   */
  async transition(
    batch: Batch,
    event: BatchEvent,
    fields: BatchFields = {},
  ): Promise<BatchStatus> {
    const to = assertTransition(batch.id, batch.status, event);
    await writeBatchTransition(this.em, batch.id, event, fields);
    return to;
  }

  /** Chunks still waiting for the enrich step, and chunks that failed for good. */
  async chunkTally(batchId: string): Promise<{ pending: number; failed: number }> {
    const [r] = await this.em.query<Array<{ pending: number; failed: number }>>(
      `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'failed')::int AS failed
       FROM batch_chunk WHERE batch_id = $1`,
      [batchId],
    );
    return r;
  }

  /** Comments of the batch still waiting in the index outbox to be written. */
  async pendingUpserts(batchId: string): Promise<number> {
    const [{ pending }] = await this.em.query<Array<{ pending: number }>>(
      `SELECT count(DISTINCT insight_id)::int AS pending FROM index_outbox WHERE batch_id = $1 AND operation = 'upsert'`,
      [batchId],
    );
    return pending;
  }

  async setIndexed(batchId: string, indexed: number): Promise<void> {
    await this.em.query(`UPDATE batch SET indexed = $2 WHERE id = $1`, [batchId, indexed]);
  }

  async chunkStats(batchId: string): Promise<Record<string, number>> {
    const rows = await this.em.query<Array<{ key: string; n: number }>>(
      `SELECT key, sum(value::int)::int AS n FROM batch_chunk, jsonb_each_text(stats) WHERE batch_id = $1 GROUP BY key`,
      [batchId],
    );
    return Object.fromEntries(rows.map((r) => [r.key, r.n]));
  }

  /** The answers each chunk could not place (field -> answer -> comments), summed over the batch. */
  async chunkUnplaced(batchId: string): Promise<UnplacedTally> {
    const rows = await this.em.query<Array<{ unplaced: Record<string, Record<string, number>> }>>(
      `SELECT unplaced FROM batch_chunk WHERE batch_id = $1 AND unplaced <> '{}'::jsonb`,
      [batchId],
    );
    const tally = new UnplacedTally();
    for (const r of rows) tally.addAll(r.unplaced);
    return tally;
  }

  /** Counts straight from the rows, so replays and crashes can never skew them. */
  async countOutcomes(
    batchId: string,
  ): Promise<BatchCounts & { byReason: Record<string, number> }> {
    const [accepted] = await this.em.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM insight WHERE batch_id = $1`,
      [batchId],
    );
    const reasons = await this.em.query<Array<{ outcome: string; reason: string; n: number }>>(
      `SELECT outcome, reason, count(*)::int AS n FROM rejected_row WHERE batch_id = $1 GROUP BY outcome, reason`,
      [batchId],
    );
    const byReason: Record<string, number> = {};
    let rejected = 0;
    let duplicates = 0;
    let updated = 0;
    for (const r of reasons) {
      if (r.outcome === 'duplicate') duplicates += r.n;
      else if (r.outcome === 'updated') updated += r.n;
      else {
        rejected += r.n;
        byReason[r.reason] = (byReason[r.reason] ?? 0) + r.n;
      }
    }
    return { accepted: accepted.n, updated, rejected, duplicates, byReason };
  }

  /** Removes everything a failed batch produced, so no partial rows are left behind. */
  async purgeRows(batchId: string): Promise<void> {
    await this.em.query(
      `INSERT INTO index_outbox (insight_id, batch_id, operation) SELECT id, batch_id, 'delete' FROM insight WHERE batch_id = $1`,
      [batchId],
    );
    await this.em.query(`DELETE FROM index_outbox WHERE batch_id = $1 AND operation = 'upsert'`, [
      batchId,
    ]);
    await this.em.query(`DELETE FROM insight WHERE batch_id = $1`, [batchId]);
    await this.em.query(`DELETE FROM rejected_row WHERE batch_id = $1`, [batchId]);
    await this.em.query(`DELETE FROM batch_chunk WHERE batch_id = $1`, [batchId]);
  }
}

function lockBatch(em: EntityManager, id: string, mode: 'update' | 'share'): Promise<Batch | null> {
  return em
    .getRepository(Batch)
    .createQueryBuilder('b')
    .setLock(mode === 'update' ? 'pessimistic_write' : 'pessimistic_read')
    .where('b.id = :id', { id })
    .getOne();
}

async function addRejections(
  em: EntityManager,
  batchId: string,
  rows: RejectionInput[],
): Promise<void> {
  if (!rows.length) return;
  await em.query(
    `INSERT INTO rejected_row (batch_id, row_number, part, outcome, reason, field, message, duplicate_of)
     SELECT $1, * FROM unnest($2::int[], $3::smallint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::uuid[])
     ON CONFLICT (batch_id, row_number, part) DO NOTHING`,
    [
      batchId,
      rows.map((r) => r.rowNumber),
      rows.map((r) => r.part),
      rows.map((r) => r.outcome),
      rows.map((r) => r.reason),
      rows.map((r) => r.field ?? null),
      rows.map((r) => r.message),
      rows.map((r) => r.duplicateOf ?? null),
    ],
  );
}

async function markChunk(
  em: EntityManager,
  batchId: string,
  chunkNo: number,
  status: 'done' | 'failed',
  stats: Record<string, number>,
  unplaced: Record<string, Record<string, number>> = {},
): Promise<void> {
  await em.query(
    `UPDATE batch_chunk SET status = $3, stats = $4, unplaced = $5, done_at = now() WHERE batch_id = $1 AND chunk_no = $2`,
    [batchId, chunkNo, status, JSON.stringify(stats), JSON.stringify(unplaced)],
  );
}

/**
 * Which batches a caller sees: the same rule as its insight. Its own organisation's batches in any
 * state; other organisations' batches only at a sharing level it may see and once approved;
 * admins and moderators see every batch.
 */
export function applyBatchScope(qb: SelectQueryBuilder<Batch>, scope: AccessScope): void {
  const params: Record<string, unknown> = {};
  const bind = (value: unknown, cast: string): string => {
    const name = `scope${Object.keys(params).length}`;
    params[name] = value;
    return `:${name}::${cast}`;
  };
  for (const clause of toSqlWhere(scope, 'b', bind, BATCH_SCOPE_COLUMNS)) qb.andWhere(clause);
  qb.setParameters(params);
}
