import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { fieldsWhere, selectList, type InsightLike } from '../../insights/insight-fields';

/** Only the columns a search document needs, so a large batch costs little memory. */
const DOCUMENT_COLUMNS = selectList(fieldsWhere((s) => s.read));

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

  /**
   * Queues an upsert of every insight that has none waiting, and returns how many it queued: for
   * documents written before a field joined the search document. Insights of batches still being
   * enriched are left to their own indexing, which would count them twice; the entries name no
   * batch, so no batch's progress moves. One process at a time, so two that start together queue
   * each insight once.
   */
  async requestUpsertOfEveryInsight(): Promise<number> {
    return this.ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('index_outbox:every-insight'))`);
      const [r] = await em.query<Array<{ n: number }>>(
        `WITH queued AS (
           INSERT INTO index_outbox (insight_id, batch_id, operation)
           SELECT i.id, NULL, 'upsert' FROM insight i JOIN batch b ON b.id = i.batch_id
            WHERE b.status <> 'enriching'
              AND NOT EXISTS (SELECT 1 FROM index_outbox o WHERE o.insight_id = i.id AND o.operation = 'upsert')
           RETURNING 1)
         SELECT count(*)::int AS n FROM queued`,
      );
      return r.n;
    });
  }
}
