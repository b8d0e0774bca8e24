import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { ReviewStatus } from '../batches/batch.entity';
import type { ItemFlag } from './dto/moderation.dto';
import type { ModerationStatus } from './review-policy';

export interface AwaitingBatchRow {
  id: string;
  title: string;
  source_type: string;
  sharing_level: string;
  status: string;
  review_status: string;
  created_at: Date;
  org_id: string;
  org_code: string;
  org_name: string;
  org_trusted: boolean;
}

export interface BatchItemCounts {
  items: number;
  pending: number;
  pii: number;
  needs_review: number;
  safeguarding: number;
}

export interface ItemRow {
  id: string;
  batch_id: string;
  organisation_id: string;
  row_number: number;
  part: number;
  text: string;
  question: string | null;
  sharing_level: string;
  moderation_status: string;
  needs_review: boolean;
  safeguarding: boolean;
  redaction: Record<string, number>;
  created_at: Date;
  updated_at: Date;
}

export interface SafeguardingRow extends ItemRow {
  org_code: string;
  org_name: string;
  batch_title: string;
}

export interface LockedBatch {
  id: string;
  status: string;
  review_status: ReviewStatus;
}

const ITEM_COLUMNS = `i.id, i.batch_id, i.organisation_id, i.row_number, i.part, i.text, i.question, i.sharing_level,
  i.moderation_status, i.needs_review, i.safeguarding, i.redaction, i.created_at, i.updated_at`;

/** Flag filters: fixed SQL chosen by an enumerated value, never by user text. */
const FLAG_SQL: Record<ItemFlag, string> = {
  all: 'TRUE',
  pii: `i.redaction <> '{}'::jsonb`,
  needs_review: 'i.needs_review',
  safeguarding: 'i.safeguarding',
};

/** Batches, insights and their moderation state; every insight change queues its search document. */
@Injectable()
export class ModerationRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Runs `work` in one transaction: the rows it locks stay locked until the decision commits. */
  transaction<T>(work: (tx: ModerationTransaction) => Promise<T>): Promise<T> {
    return this.ds.transaction((em) => work(new ModerationTransaction(em)));
  }

  /** Batches waiting for a moderator, oldest first (a queue). Deleted batches are gone from it. */
  async awaitingBatches(
    limit: number,
    offset: number,
  ): Promise<{ rows: AwaitingBatchRow[]; total: number }> {
    const where = `b.review_status = 'awaiting_review' AND b.status <> 'deleted'`;
    const [{ n }] = await this.ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM batch b WHERE ${where}`,
    );
    const rows = await this.ds.query<AwaitingBatchRow[]>(
      `SELECT b.id, b.title, b.source_type, b.sharing_level, b.status, b.review_status, b.created_at,
              o.id AS org_id, o.code AS org_code, o.name AS org_name, o.trusted AS org_trusted
         FROM batch b JOIN organisation o ON o.id = b.organisation_id
        WHERE ${where}
        ORDER BY b.created_at ASC, b.id ASC
        LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    return { rows, total: n };
  }

  async itemCounts(batchIds: string[]): Promise<Map<string, BatchItemCounts>> {
    const out = new Map<string, BatchItemCounts>();
    if (!batchIds.length) return out;
    const rows = await this.ds.query<Array<BatchItemCounts & { batch_id: string }>>(
      `SELECT i.batch_id,
              count(*)::int AS items,
              count(*) FILTER (WHERE i.moderation_status = 'pending')::int AS pending,
              count(*) FILTER (WHERE ${FLAG_SQL.pii})::int AS pii,
              count(*) FILTER (WHERE i.needs_review)::int AS needs_review,
              count(*) FILTER (WHERE i.safeguarding)::int AS safeguarding
         FROM insight i WHERE i.batch_id = ANY($1::uuid[]) GROUP BY i.batch_id`,
      [batchIds],
    );
    for (const r of rows) out.set(r.batch_id, r);
    return out;
  }

  /** True when the batch exists and has not been deleted. */
  async batchExists(id: string): Promise<boolean> {
    const rows = await this.ds.query<unknown[]>(
      `SELECT 1 FROM batch WHERE id = $1 AND status <> 'deleted'`,
      [id],
    );
    return rows.length > 0;
  }

  async items(
    batchId: string,
    flag: ItemFlag,
    limit: number,
    offset: number,
  ): Promise<{ rows: ItemRow[]; total: number }> {
    const where = `i.batch_id = $1 AND ${FLAG_SQL[flag]}`;
    const [{ n }] = await this.ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM insight i WHERE ${where}`,
      [batchId],
    );
    const rows = await this.ds.query<ItemRow[]>(
      `SELECT ${ITEM_COLUMNS} FROM insight i WHERE ${where}
        ORDER BY i.row_number, i.part LIMIT $2 OFFSET $3`,
      [batchId, limit, offset],
    );
    return { rows, total: n };
  }

  /** Items flagged for safeguarding in any batch, newest first. */
  async safeguardingItems(
    limit: number,
    offset: number,
  ): Promise<{ rows: SafeguardingRow[]; total: number }> {
    const [{ n }] = await this.ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM insight i WHERE i.safeguarding`,
    );
    const rows = await this.ds.query<SafeguardingRow[]>(
      `SELECT ${ITEM_COLUMNS}, o.code AS org_code, o.name AS org_name, b.title AS batch_title
         FROM insight i
         JOIN batch b ON b.id = i.batch_id
         JOIN organisation o ON o.id = i.organisation_id
        WHERE i.safeguarding
        ORDER BY i.created_at DESC, i.id DESC
        LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    return { rows, total: n };
  }
}

/**
 * A moderation decision's reads and writes inside its transaction: the batch or insight row it
 * locks, the review it writes and the search documents it queues commit together.
 */
export class ModerationTransaction {
  constructor(private readonly em: EntityManager) {}

  /** Locks a batch that is not deleted for the rest of the transaction; undefined when there is none. */
  async lockBatch(id: string): Promise<LockedBatch | undefined> {
    const [row] = await this.em.query<LockedBatch[]>(
      `SELECT id, status, review_status FROM batch WHERE id = $1 AND status <> 'deleted' FOR UPDATE`,
      [id],
    );
    return row;
  }

  async setBatchReview(
    id: string,
    review: ReviewStatus,
    by: string,
    reason: string | null,
  ): Promise<Date> {
    // An UPDATE answers [rows, count].
    const [[row]] = await this.em.query<[Array<{ reviewed_at: Date }>, number]>(
      `UPDATE batch SET review_status = $2, reviewed_at = now(), reviewed_by = $3, review_reason = $4, updated_at = now()
        WHERE id = $1 RETURNING reviewed_at`,
      [id, review, by, reason],
    );
    return row.reviewed_at;
  }

  /**
   * Gives every still-pending insight of the batch the moderator's decision and queues each for
   * re-indexing, in one statement; items already approved or rejected one by one keep their status.
   * Comments of earlier batches this batch corrected (re-uploaded references) wait on the same
   * decision, so a correction is reviewed like the batch it came in.
   */
  async settlePending(batchId: string, status: ModerationStatus): Promise<number> {
    const [{ n }] = await this.em.query<Array<{ n: number }>>(
      `WITH changed AS (
         UPDATE insight SET moderation_status = $2, updated_at = now()
          WHERE (batch_id = $1 OR id IN (SELECT duplicate_of FROM rejected_row
                                            WHERE batch_id = $1 AND outcome = 'updated'))
            AND moderation_status = 'pending'
          RETURNING id, batch_id),
       queued AS (INSERT INTO index_outbox (insight_id, batch_id, operation) SELECT id, batch_id, 'upsert' FROM changed)
       SELECT count(*)::int AS n FROM changed`,
      [batchId, status],
    );
    return n;
  }

  /** Locks an insight for the rest of the transaction; undefined when there is none. */
  async lockItem(id: string): Promise<ItemRow | undefined> {
    const [row] = await this.em.query<ItemRow[]>(
      `SELECT ${ITEM_COLUMNS} FROM insight i WHERE i.id = $1 FOR UPDATE`,
      [id],
    );
    return row;
  }

  /** The sharing level the uploader chose for a batch. */
  async batchSharingLevel(batchId: string): Promise<string> {
    const [row] = await this.em.query<Array<{ sharing_level: string }>>(
      `SELECT sharing_level FROM batch WHERE id = $1`,
      [batchId],
    );
    if (!row) throw new Error(`Batch ${batchId} of an insight is missing`);
    return row.sharing_level;
  }

  /** Writes the changed moderation fields of one insight and queues its search document. */
  async updateItem(
    id: string,
    fields: {
      moderationStatus?: ModerationStatus;
      needsReview?: boolean;
      text?: string;
      redaction?: Record<string, number>;
      safeguarding?: boolean;
      sharingLevel?: string;
    },
  ): Promise<ItemRow> {
    const [[row]] = await this.em.query<[ItemRow[], number]>(
      `UPDATE insight i SET
          moderation_status = COALESCE($2, moderation_status),
          needs_review = COALESCE($3, needs_review),
          text = COALESCE($4, text),
          redaction = COALESCE($5::jsonb, redaction),
          safeguarding = COALESCE($6, safeguarding),
          sharing_level = COALESCE($7, sharing_level),
          updated_at = now()
        WHERE id = $1
        RETURNING ${ITEM_COLUMNS}`,
      [
        id,
        fields.moderationStatus ?? null,
        fields.needsReview ?? null,
        fields.text ?? null,
        fields.redaction ? JSON.stringify(fields.redaction) : null,
        fields.safeguarding ?? null,
        fields.sharingLevel ?? null,
      ],
    );
    await this.em.query(
      `INSERT INTO index_outbox (insight_id, batch_id, operation) VALUES ($1, $2, 'upsert')`,
      [id, row.batch_id],
    );
    return row;
  }
}
