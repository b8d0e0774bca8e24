import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Insight } from './insight.entity';

export type NewInsight = Omit<
  Insight,
  'createdAt' | 'updatedAt' | 'batch' | 'organisation' | 'themeCodes' | 'recordKey'
>;

/** Columns written on insert, in one place so the statement and the values stay in step. */
const INSERT_COLUMNS: Array<[keyof NewInsight, string, string]> = [
  ['id', 'id', 'uuid'],
  ['batchId', 'batch_id', 'uuid'],
  ['organisationId', 'organisation_id', 'uuid'],
  ['rowNumber', 'row_number', 'int'],
  ['part', 'part', 'smallint'],
  ['externalRef', 'external_ref', 'text'],
  ['contentHash', 'content_hash', 'text'],
  ['dedupKey', 'dedup_key', 'text'],
  ['text', 'text', 'text'],
  ['question', 'question', 'text'],
  ['commentDate', 'comment_date', 'date'],
  ['sourceType', 'source_type', 'text'],
  ['sharingLevel', 'sharing_level', 'text'],
  ['postcodeDistrict', 'postcode_district', 'text'],
  ['ladCode', 'lad_code', 'text'],
  ['hcpArea', 'hcp_area', 'text'],
  ['service', 'service', 'text'],
  ['gpPractice', 'gp_practice', 'text'],
  ['placeResolvedBy', 'place_resolved_by', 'text'],
  ['ageBand', 'age_band', 'text'],
  ['sex', 'sex', 'text'],
  ['genderIdentity', 'gender_identity', 'text'],
  ['ethnicityGroup', 'ethnicity_group', 'text'],
  ['ethnicityDetail', 'ethnicity_detail', 'text'],
  ['disability', 'disability', 'text'],
  ['carer', 'carer', 'text'],
  ['sexualOrientation', 'sexual_orientation', 'text'],
  ['religion', 'religion', 'text'],
  ['deprivationDecile', 'deprivation_decile', 'smallint'],
  ['themes', 'themes', 'jsonb'],
  ['sentiment', 'sentiment', 'text'],
  ['sentimentScore', 'sentiment_score', 'real'],
  ['language', 'language', 'text'],
  ['redaction', 'redaction', 'jsonb'],
  ['needsReview', 'needs_review', 'boolean'],
  ['safeguarding', 'safeguarding', 'boolean'],
  ['moderationStatus', 'moderation_status', 'text'],
  ['metadata', 'metadata', 'jsonb'],
];

export interface ExistingKey {
  dedupKey: string;
  id: string;
  batchId: string;
  rowNumber: number;
  part: number;
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
      Array<{ dedup_key: string; id: string; batch_id: string; row_number: number; part: number }>
    >(
      `SELECT dedup_key, id, batch_id, row_number, part FROM insight WHERE organisation_id = $1 AND dedup_key = ANY($2::text[])`,
      [organisationId, keys],
    );
    return rows.map((r) => ({
      dedupKey: r.dedup_key,
      id: r.id,
      batchId: r.batch_id,
      rowNumber: r.row_number,
      part: r.part,
    }));
  }

  findById(id: string): Promise<Insight | null> {
    return this.ds.getRepository(Insight).findOne({ where: { id } });
  }

  countByBatch(batchId: string): Promise<number> {
    return this.ds.getRepository(Insight).count({ where: { batchId } });
  }
}
