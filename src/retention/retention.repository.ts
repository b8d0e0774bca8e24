import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { writeBatchTransition } from '../batches/batches.repository';

/** A batch as deletion sees it, read under its row lock. */
export interface LockedBatch {
  id: string;
  organisationId: string;
  status: string;
  retentionUntil: string | null;
  /** retention_until is before today (by the database's clock). */
  expired: boolean;
  reviewStatus: string | null;
}

export interface PurgeCounts {
  insights: number;
  tagEvents: number;
  rejectedRows: number;
  chunks: number;
}

export interface ExpiredBatch {
  id: string;
  organisationCode: string;
  retentionUntil: string;
  insights: number;
}

/** Data access for deleting batches: one transaction removes rows, a tombstone keeps the record. */
@Injectable()
export class RetentionRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Runs `work` in one transaction: the lock, the purge and the tombstone commit together. */
  transaction<T>(work: (tx: RetentionTransaction) => Promise<T>): Promise<T> {
    return this.ds.transaction((em) => work(new RetentionTransaction(em)));
  }

  /** Batches whose retention date has passed and that are not deleted yet, oldest date first. */
  expired(): Promise<ExpiredBatch[]> {
    return this.ds.query<ExpiredBatch[]>(
      `SELECT b.id, o.code AS "organisationCode", to_char(b.retention_until, 'YYYY-MM-DD') AS "retentionUntil",
              (SELECT count(*) FROM insight i WHERE i.batch_id = b.id)::int AS insights
       FROM batch b JOIN organisation o ON o.id = b.organisation_id
       WHERE b.retention_until < CURRENT_DATE AND b.status <> 'deleted'
       ORDER BY b.retention_until, b.created_at`,
    );
  }
}

/** A deletion's reads and writes inside its transaction. */
export class RetentionTransaction {
  constructor(private readonly em: EntityManager) {}

  /**
   * Locks the batch row for the rest of the transaction. Workers storing a chunk hold a share lock
   * on the same row, so deletion waits for a chunk in flight and then removes its rows too.
   */
  async lock(id: string): Promise<LockedBatch | null> {
    const rows = await this.em.query<
      Array<{
        id: string;
        organisation_id: string;
        status: string;
        retention_until: string | null;
        expired: boolean;
        review_status: string | null;
      }>
    >(
      `SELECT b.id, b.organisation_id, b.status, to_char(b.retention_until, 'YYYY-MM-DD') AS retention_until,
              coalesce(b.retention_until < CURRENT_DATE, false) AS expired,
              b.review_status
       FROM batch b WHERE b.id = $1 FOR UPDATE`,
      [id],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      organisationId: r.organisation_id,
      status: r.status,
      retentionUntil: r.retention_until,
      expired: r.expired,
      reviewStatus: r.review_status,
    };
  }

  /**
   * Removes everything the batch produced. Each insight leaves a `delete` entry in the index
   * outbox in the same transaction, so the index job drops its document; `upsert` entries still
   * waiting are left alone (the index job treats an upsert of a missing insight as a delete, and
   * taking them here could wait on an index job holding them).
   */
  async purge(batchId: string): Promise<PurgeCounts> {
    await this.em.query(
      `INSERT INTO index_outbox (insight_id, batch_id, operation)
       SELECT id, batch_id, 'delete' FROM insight WHERE batch_id = $1`,
      [batchId],
    );
    const count = async (sql: string): Promise<number> => {
      const [r] = await this.em.query<Array<{ n: number }>>(
        `WITH gone AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM gone`,
        [batchId],
      );
      return r.n;
    };
    const tagEvents = await count(
      `DELETE FROM tag_event WHERE insight_id IN (SELECT id FROM insight WHERE batch_id = $1)`,
    );
    const insights = await count(`DELETE FROM insight WHERE batch_id = $1`);
    const rejectedRows = await count(`DELETE FROM rejected_row WHERE batch_id = $1`);
    const chunks = await count(`DELETE FROM batch_chunk WHERE batch_id = $1`);
    return { insights, tagEvents, rejectedRows, chunks };
  }

  /** The batch row stays, with its metadata and counts, marked deleted and pointing at no file. */
  async tombstone(batchId: string, deletedBy: string, reason: string): Promise<void> {
    await writeBatchTransition(this.em, batchId, 'delete', {
      deletedAt: () => 'now()',
      deletedBy,
      deletionReason: reason,
      unplacedValues: null,
    });
  }
}
