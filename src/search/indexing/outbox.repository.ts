import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Insight } from '../../insights/insight.entity';

export interface OutboxEntry {
  id: string;
  insightId: string;
  batchId: string | null;
  operation: 'upsert' | 'delete';
}

@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  /** Claims up to `limit` entries; other drainers skip them until this transaction ends. */
  async claim(em: EntityManager, limit: number): Promise<OutboxEntry[]> {
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

  async insightsByIds(em: EntityManager, ids: string[]): Promise<Insight[]> {
    if (!ids.length) return [];
    return em
      .getRepository<Insight>('Insight')
      .createQueryBuilder('i')
      .where('i.id = ANY(:ids)', { ids })
      .getMany();
  }

  async remove(em: EntityManager, ids: string[]): Promise<void> {
    if (ids.length) await em.query(`DELETE FROM index_outbox WHERE id = ANY($1::bigint[])`, [ids]);
  }

  async hasPending(): Promise<boolean> {
    const rows = await this.ds.query<unknown[]>(`SELECT 1 FROM index_outbox LIMIT 1`);
    return rows.length > 0;
  }

  async pendingCount(): Promise<number> {
    const [r] = await this.ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM index_outbox`,
    );
    return r.n;
  }
}
