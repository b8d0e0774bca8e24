import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { FIELD_SPECS, type InsertField, type PgType } from './insight-fields';
import { Insight, type InsightTheme } from './insight.entity';

export type NewInsight = Omit<
  Insight,
  'createdAt' | 'updatedAt' | 'batch' | 'organisation' | 'themeCodes' | 'recordKey'
>;

/**
 * Columns written on insert, from the insight field catalogue, so the statement and the values stay
 * in step. Keys are checked against NewInsight: a catalogue field the entity lacks does not compile.
 */
const INSERT_COLUMNS: Array<[InsertField & keyof NewInsight, string, PgType]> = FIELD_SPECS.flatMap(
  ([key, spec]) =>
    spec.insert && spec.column && spec.pgType
      ? [[key as InsertField, spec.column, spec.pgType] as [InsertField, string, PgType]]
      : [],
);

export interface ExistingKey {
  dedupKey: string;
  id: string;
  batchId: string;
  rowNumber: number;
  part: number;
  contentHash: string;
}

/** A stored insight to be replaced by a corrected row re-uploaded with the same reference. */
export interface Correction {
  id: string;
  row: NewInsight;
  /** The batch the correction came in, and the position of its row there. */
  fromBatchId: string;
}

/**
 * Columns a correction rewrites: everything said about the comment. Its identity (id, batch,
 * organisation, row, reference key) stays, so links, reviews and decisions still point at it.
 */
const CORRECTED_COLUMNS = INSERT_COLUMNS.filter(
  ([key]) =>
    ![
      'id',
      'batchId',
      'organisationId',
      'rowNumber',
      'part',
      'dedupKey',
      'sourceType',
      'sharingLevel',
      'themes',
    ].includes(key),
);

/**
 * The themes a reviewer has rejected on each of these insights (the latest review of the theme was
 * a rejection): re-tagging and corrections must not put them back.
 */
export async function rejectedThemeCodes(
  em: EntityManager,
  ids: readonly string[],
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (!ids.length) return out;
  const rows = await em.query<Array<{ insight_id: string; theme_code: string }>>(
    `SELECT insight_id, theme_code FROM (
       SELECT DISTINCT ON (insight_id, theme_code) insight_id, theme_code, action
         FROM tag_event
        WHERE insight_id = ANY($1::uuid[]) AND action IN ('accept', 'reject', 'add')
        ORDER BY insight_id, theme_code, at DESC, id DESC) latest
      WHERE action = 'reject'`,
    [ids],
  );
  for (const r of rows) {
    const set = out.get(r.insight_id) ?? new Set<string>();
    set.add(r.theme_code);
    out.set(r.insight_id, set);
  }
  return out;
}

@Injectable()
export class InsightsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /**
   * Inserts insights whose (organisation, dedup key) is new and queues each for indexing, in the
   * caller's transaction. Uses one array parameter per column (unnest), so any number of rows fits
   * well under PostgreSQL's parameter limit. Returns the dedup keys that were inserted.
   */
  async insertNew(em: EntityManager, rows: NewInsight[]): Promise<Set<string>> {
    if (!rows.length) return new Set();
    const cols = INSERT_COLUMNS.map(([, c]) => `"${c}"`).join(', ');
    const unnest = INSERT_COLUMNS.map(
      ([, , t], i) => `$${i + 1}::${t === 'jsonb' ? 'text' : t}[]`,
    ).join(', ');
    const select = INSERT_COLUMNS.map(([, c, t]) =>
      t === 'jsonb' ? `u."${c}"::jsonb` : `u."${c}"`,
    ).join(', ');
    const params = INSERT_COLUMNS.map(([key, , t]) =>
      rows.map((r) => (t === 'jsonb' ? JSON.stringify(r[key]) : (r[key] ?? null))),
    );
    const themeCodes = rows.map(
      (r) => `{${r.themes.map((t) => `"${t.code.replace(/["\\]/g, '')}"`).join(',')}}`,
    );
    const inserted = await em.query<Array<{ dedup_key: string }>>(
      `WITH u AS (SELECT * FROM unnest(${unnest}, $${INSERT_COLUMNS.length + 1}::text[]) AS u(${cols}, theme_codes)),
            ins AS (
              INSERT INTO insight (${cols}, theme_codes)
              SELECT ${select}, u.theme_codes::text[] FROM u
              ON CONFLICT (organisation_id, dedup_key) DO NOTHING
              RETURNING id, batch_id, dedup_key),
            outbox AS (INSERT INTO index_outbox (insight_id, batch_id, operation) SELECT id, batch_id, 'upsert' FROM ins)
       SELECT dedup_key FROM ins`,
      [...params, themeCodes],
    );
    return new Set(inserted.map((r) => r.dedup_key));
  }

  async findByDedupKeys(
    em: EntityManager,
    organisationId: string,
    keys: string[],
  ): Promise<ExistingKey[]> {
    if (!keys.length) return [];
    const rows = await em.query<
      Array<{
        dedup_key: string;
        id: string;
        batch_id: string;
        row_number: number;
        part: number;
        content_hash: string;
      }>
    >(
      `SELECT dedup_key, id, batch_id, row_number, part, content_hash FROM insight WHERE organisation_id = $1 AND dedup_key = ANY($2::text[])`,
      [organisationId, keys],
    );
    return rows.map((r) => ({
      dedupKey: r.dedup_key,
      id: r.id,
      batchId: r.batch_id,
      rowNumber: r.row_number,
      part: r.part,
      contentHash: r.content_hash,
    }));
  }

  /**
   * Rewrites stored insights with corrected rows, in the caller's transaction: new text and
   * everything enriched from it, themes re-tagged (a person's tags kept, themes a person rejected
   * left off), the sharing level of the insight's own batch (restricted when the new text is a
   * possible safeguarding disclosure). Each is queued for re-indexing and gets a `correction`
   * tag event naming the batch it came in; the event holds content hashes, never text.
   */
  async applyCorrections(em: EntityManager, corrections: Correction[]): Promise<void> {
    if (!corrections.length) return;
    const ids = corrections.map((c) => c.id);
    const old = new Map(
      (
        await em.query<Array<{ id: string; themes: InsightTheme[]; content_hash: string }>>(
          `SELECT id, themes, content_hash FROM insight WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
          [ids],
        )
      ).map((r) => [r.id, r]),
    );
    const rejected = await rejectedThemeCodes(em, ids);
    const live = corrections.filter((c) => old.has(c.id));
    if (!live.length) return;
    const themesOf = (c: Correction): InsightTheme[] => {
      const human = old.get(c.id)!.themes.filter((t) => t.provenance === 'human');
      const taken = new Set([...human.map((t) => t.code), ...(rejected.get(c.id) ?? [])]);
      return [...human, ...c.row.themes.filter((t) => !taken.has(t.code))];
    };
    const themes = live.map(themesOf);
    const cols = CORRECTED_COLUMNS.map(([, c]) => `"${c}"`).join(', ');
    const n = CORRECTED_COLUMNS.length;
    const unnest = CORRECTED_COLUMNS.map(
      ([, , t], i) => `$${i + 2}::${t === 'jsonb' ? 'text' : t}[]`,
    ).join(', ');
    const set = CORRECTED_COLUMNS.map(([, c, t]) =>
      t === 'jsonb' ? `"${c}" = u."${c}"::jsonb` : `"${c}" = u."${c}"`,
    ).join(', ');
    const params = CORRECTED_COLUMNS.map(([key, , t]) =>
      live.map((c) => (t === 'jsonb' ? JSON.stringify(c.row[key]) : (c.row[key] ?? null))),
    );
    await em.query(
      `WITH u AS (SELECT * FROM unnest($1::uuid[], ${unnest}, $${n + 2}::text[], $${n + 3}::text[])
                    AS u(id, ${cols}, themes, theme_codes)),
            upd AS (
              UPDATE insight i SET ${set}, themes = u.themes::jsonb, theme_codes = u.theme_codes::text[],
                     sharing_level = CASE WHEN u.safeguarding THEN 'restricted' ELSE b.sharing_level END,
                     updated_at = now()
                FROM u, batch b
               WHERE i.id = u.id AND b.id = i.batch_id
              RETURNING i.id, i.batch_id)
       INSERT INTO index_outbox (insight_id, batch_id, operation) SELECT id, batch_id, 'upsert' FROM upd`,
      [
        live.map((c) => c.id),
        ...params,
        themes.map((t) => JSON.stringify(t)),
        themes.map((t) => `{${t.map((x) => `"${x.code.replace(/["\\]/g, '')}"`).join(',')}}`),
      ],
    );
    await em.query(
      `INSERT INTO tag_event (insight_id, actor, action, theme_code, before, after)
       SELECT id, actor, 'correction', NULL, before::jsonb, after::jsonb
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS u(id, actor, before, after)`,
      [
        live.map((c) => c.id),
        live.map((c) => `batch:${c.fromBatchId}`),
        live.map((c) => JSON.stringify({ contentHash: old.get(c.id)!.content_hash })),
        live.map((c) =>
          JSON.stringify({
            contentHash: c.row.contentHash,
            batchId: c.fromBatchId,
            rowNumber: c.row.rowNumber,
            part: c.row.part,
          }),
        ),
      ],
    );
  }

  findById(id: string): Promise<Insight | null> {
    return this.ds.getRepository(Insight).findOne({ where: { id } });
  }
}
