import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { InsightLike } from '../query/search-document';

/** Only the columns a search document needs, so a large batch costs little memory. */
const DOCUMENT_COLUMNS = `id, batch_id AS "batchId", organisation_id AS "organisationId", text, question,
  to_char(comment_date, 'YYYY-MM-DD') AS "commentDate", source_type AS "sourceType", sharing_level AS "sharingLevel",
  postcode_district AS "postcodeDistrict", lad_code AS "ladCode", hcp_area AS "hcpArea", age_band AS "ageBand", sex,
  gender_identity AS "genderIdentity", ethnicity_group AS "ethnicityGroup", disability, carer,
  sexual_orientation AS "sexualOrientation", religion, theme_codes AS "themeCodes", sentiment,
  sentiment_score AS "sentimentScore", language, needs_review AS "needsReview", safeguarding,
  moderation_status AS "moderationStatus", record_key AS "recordKey"`;

export interface OutboxEntry {
  id: string;
  insightId: string;
  batchId: string | null;
  operation: 'upsert' | 'delete';
}

/** A drain's reads and writes inside its transaction. */
export interface OutboxTransaction {
  claim(limit: number): Promise<OutboxEntry[]>;
  insightsByIds(ids: string[]): Promise<InsightLike[]>;
  remove(ids: string[]): Promise<void>;
}

@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Runs `work` in one transaction: entries it claims stay claimed until it ends. */
  transaction<T>(work: (tx: OutboxTransaction) => Promise<T>): Promise<T> {
    return this.ds.transaction((em) =>
      work({
        claim: (limit) => this.claim(em, limit),
        insightsByIds: (ids) => this.insightsByIds(em, ids),
        remove: (ids) => this.remove(em, ids),
      }),
    );
  }

  /** Claims up to `limit` entries; other drainers skip them until this transaction ends. */
  private async claim(em: EntityManager, limit: number): Promise<OutboxEntry[]> {
    const rows = await em.query<
      Array<{
        id: string;
        insight_id: string;
        batch_id: string | null;
        operation: 'upsert' | 'delete';
      }>
    >(
      `SELECT id, insight_id, batch_id, operation FROM index_outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map((r) => ({
      id: r.id,
      insightId: r.insight_id,
      batchId: r.batch_id,
      operation: r.operation,
    }));
  }

  private async insightsByIds(em: EntityManager, ids: string[]): Promise<InsightLike[]> {
    if (!ids.length) return [];
    return em.query<InsightLike[]>(
      `SELECT ${DOCUMENT_COLUMNS} FROM insight WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  private async remove(em: EntityManager, ids: string[]): Promise<void> {
    if (ids.length) await em.query(`DELETE FROM index_outbox WHERE id = ANY($1::bigint[])`, [ids]);
  }

  async hasPending(): Promise<boolean> {
    const rows = await this.ds.query<unknown[]>(`SELECT 1 FROM index_outbox LIMIT 1`);
    return rows.length > 0;
  }

  /** Whether at least `n` entries are waiting (counts no further than `n`). */
  async hasAtLeast(n: number): Promise<boolean> {
    const [r] = await this.ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM index_outbox LIMIT $1) waiting`,
      [n],
    );
    return r.n >= n;
  }

  async pendingCount(): Promise<number> {
    const [r] = await this.ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM index_outbox`,
    );
    return r.n;
  }
}
