import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { selectList } from '../insights/insight-fields';
import { Insight } from '../insights/insight.entity';
import { EXPORT_READ_FIELDS, type ExportRow } from './export-format';
import { keyPartSql, type KeyedCount } from './query/disclosure';
import type { SqlWhere } from './sql-where';

/** A row's part of its cells' key sums (docs/disclosure.md). */
const KEY_PART = keyPartSql('i');

export type TrendInterval = 'week' | 'month' | 'quarter';
export type TrendSplit = 'hcpArea' | 'sourceType';

const SPLIT_COLUMNS: Record<TrendSplit, string> = {
  hcpArea: 'i.hcp_area',
  sourceType: 'i.source_type',
};

const EXPORT_SELECT = selectList(EXPORT_READ_FIELDS, (column) => `i.${column}`);

/** Counts carry the sum of their records' keys, for the cell key method of disclosure control. */
export interface TrendCount extends KeyedCount {
  period: string;
  theme: string;
  split: string | null;
}

export interface SummaryCounts extends KeyedCount {
  organisations: number;
  sourceTypes: Record<string, KeyedCount>;
  dateFrom: string | null;
  dateTo: string | null;
  sentiment: Record<string, KeyedCount>;
  themes: Array<{ code: string } & KeyedCount>;
}

export interface OutboxRequest {
  insightId: string;
  batchId: string | null;
  operation: 'upsert' | 'delete';
}

/** Read side of the insight table for the search API and the index maintenance commands. */
@Injectable()
export class InsightsQueryRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** One insight, only when the caller's scope lets them see it. */
  async findVisible(id: string, where: SqlWhere): Promise<Insight | null> {
    const ids = await this.ds.query<Array<{ id: string }>>(
      `SELECT i.id FROM insight i WHERE i.id = $1::uuid AND ${shift(where, 1)}`,
      [id, ...where.params],
    );
    if (!ids.length) return null;
    return this.ds.getRepository(Insight).findOne({ where: { id } });
  }

  /** How many comments match, with the sum of their record keys' parts (the cell's key sum). */
  async keyedCount(where: SqlWhere): Promise<KeyedCount> {
    const [r] = await this.ds.query<Array<{ n: number; k: number }>>(
      `SELECT count(*)::int AS n, coalesce(sum(${KEY_PART}), 0)::int AS k FROM insight i WHERE ${where.sql}`,
      where.params,
    );
    return { count: r.n, keySum: r.k };
  }

  async count(where: SqlWhere): Promise<number> {
    const [r] = await this.ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM insight i WHERE ${where.sql}`,
      where.params,
    );
    return r.n;
  }

  /** Comments per period and tagged theme (a comment with two themes counts once in each). */
  async trendCounts(
    interval: TrendInterval,
    split: TrendSplit | undefined,
    where: SqlWhere,
  ): Promise<TrendCount[]> {
    const splitSql = split === undefined ? 'NULL::text' : SPLIT_COLUMNS[split];
    const rows = await this.ds.query<
      Array<{ period: string; theme: string; split: string | null; n: number; k: number }>
    >(
      `SELECT to_char(date_trunc($1::text, i.comment_date::timestamp), 'YYYY-MM-DD') AS period,
              t.code AS theme, ${splitSql} AS split, count(*)::int AS n,
              sum(${KEY_PART})::int AS k
       FROM insight i CROSS JOIN LATERAL unnest(i.theme_codes) AS t(code)
       WHERE i.comment_date IS NOT NULL AND ${shift(where, 1)}
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [interval, ...where.params],
    );
    return rows.map((r) => ({
      period: r.period,
      theme: r.theme,
      split: r.split,
      count: r.n,
      keySum: r.k,
    }));
  }

  /** `topThemes` null counts every theme. */
  async summary(where: SqlWhere, topThemes: number | null): Promise<SummaryCounts> {
    const [head] = await this.ds.query<
      Array<{
        count: number;
        k: number;
        organisations: number;
        date_from: string | null;
        date_to: string | null;
      }>
    >(
      `SELECT count(*)::int AS count, coalesce(sum(${KEY_PART}), 0)::int AS k,
              count(DISTINCT i.organisation_id)::int AS organisations,
              to_char(min(i.comment_date), 'YYYY-MM-DD') AS date_from,
              to_char(max(i.comment_date), 'YYYY-MM-DD') AS date_to
       FROM insight i WHERE ${where.sql}`,
      where.params,
    );
    const grouped = async (column: string): Promise<Record<string, KeyedCount>> => {
      const rows = await this.ds.query<Array<{ key: string | null; n: number; k: number }>>(
        `SELECT ${column} AS key, count(*)::int AS n, sum(${KEY_PART})::int AS k
         FROM insight i WHERE ${where.sql} GROUP BY 1 ORDER BY 2 DESC, 1`,
        where.params,
      );
      return Object.fromEntries(rows.map((r) => [r.key ?? 'none', { count: r.n, keySum: r.k }]));
    };
    const limit = topThemes === null ? '' : `LIMIT ${Math.trunc(topThemes)}`;
    const themes = await this.ds.query<Array<{ code: string; n: number; k: number }>>(
      `SELECT t.code, count(*)::int AS n, sum(${KEY_PART})::int AS k
       FROM insight i CROSS JOIN LATERAL unnest(i.theme_codes) AS t(code)
       WHERE ${where.sql} GROUP BY 1 ORDER BY 2 DESC, 1 ${limit}`,
      where.params,
    );
    return {
      count: head.count,
      keySum: head.k,
      organisations: head.organisations,
      sourceTypes: await grouped('i.source_type'),
      dateFrom: head.date_from,
      dateTo: head.date_to,
      sentiment: await grouped('i.sentiment'),
      themes: themes.map((t) => ({ code: t.code, count: t.n, keySum: t.k })),
    };
  }

  /** One page of an export in id order; `afterId` is the last id of the previous page. */
  exportPage(where: SqlWhere, afterId: string | null, limit: number): Promise<ExportRow[]> {
    return this.ds.query<ExportRow[]>(
      `SELECT ${EXPORT_SELECT}
       FROM insight i
       WHERE ($1::uuid IS NULL OR i.id > $1::uuid) AND ${shift(where, 2)}
       ORDER BY i.id LIMIT $2::int`,
      [afterId, limit, ...where.params],
    );
  }

  /** Organisation names by id, for the labels of an organisation facet. */
  async organisationNames(ids: readonly string[]): Promise<Record<string, string>> {
    if (!ids.length) return {};
    const rows = await this.ds.query<Array<{ id: string; name: string }>>(
      `SELECT id, name FROM organisation WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return Object.fromEntries(rows.map((r) => [r.id, r.name]));
  }

  /** Stored batch titles by id, for the labels of a batch facet. */
  async batchTitles(ids: readonly string[]): Promise<Record<string, string>> {
    if (!ids.length) return {};
    const rows = await this.ds.query<Array<{ id: string; title: string }>>(
      `SELECT id, title FROM batch WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return Object.fromEntries(rows.map((r) => [r.id, r.title]));
  }

  /** Whole insights in id order, for rebuilding the index in large batches. */
  insightsAfter(afterId: string | null, limit: number): Promise<Insight[]> {
    const qb = this.ds.getRepository(Insight).createQueryBuilder('i').orderBy('i.id', 'ASC');
    if (afterId !== null) qb.where('i.id > :afterId', { afterId });
    return qb.limit(limit).getMany();
  }

  async idsOfBatch(batchId: string): Promise<string[]> {
    const rows = await this.ds.query<Array<{ id: string }>>(
      `SELECT id FROM insight WHERE batch_id = $1::uuid ORDER BY id`,
      [batchId],
    );
    return rows.map((r) => r.id);
  }

  /** Every batch that holds insights, with how many. */
  async batchCounts(): Promise<Map<string, number>> {
    const rows = await this.ds.query<Array<{ batch_id: string; n: number }>>(
      `SELECT batch_id, count(*)::int AS n FROM insight GROUP BY 1 ORDER BY 1`,
    );
    return new Map(rows.map((r) => [r.batch_id, r.n]));
  }

  async enqueue(entries: readonly OutboxRequest[]): Promise<void> {
    if (!entries.length) return;
    await this.ds.query(
      `INSERT INTO index_outbox (insight_id, batch_id, operation)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[])`,
      [
        entries.map((e) => e.insightId),
        entries.map((e) => e.batchId),
        entries.map((e) => e.operation),
      ],
    );
  }

  /** Queues an upsert of every insight changed since `since` (a database timestamp). */
  async enqueueChangedSince(since: string): Promise<number> {
    const rows = await this.ds.query<Array<{ id: string }>>(
      `INSERT INTO index_outbox (insight_id, batch_id, operation)
       SELECT id, batch_id, 'upsert' FROM insight WHERE updated_at >= $1::timestamptz
       RETURNING id`,
      [since],
    );
    return rows.length;
  }

  async databaseNow(): Promise<string> {
    const [r] = await this.ds.query<Array<{ now: string }>>(
      `SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS now`,
    );
    return r.now;
  }

  async outboxBacklog(): Promise<number> {
    const [r] = await this.ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM index_outbox`,
    );
    return r.n;
  }
}

/** A WHERE clause renumbered to follow `before` leading parameters of the statement. */
function shift(where: SqlWhere, before: number): string {
  return where.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + before}`);
}
