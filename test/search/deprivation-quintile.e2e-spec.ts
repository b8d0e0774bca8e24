import type { INestApplication } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { keyPartSql, publishCount, type KeyedCount } from '../../src/search/query/disclosure';
import { ensureOrg } from '../support/batches';
import { createTestApp, truncateAll } from '../support/test-app';
import { csv, get, importBatch, searchOk } from './search-fixtures';

/**
 * The IMD deprivation quintile, derived from the decile a file gives: a population group like the
 * others, filtered, counted and exported by roles with row-level access, and for the other roles
 * counted only through the cell key method. Deciles 1–10 and blanks, 200 comments:
 */
const DECILES: Array<[string, number]> = [
  ['1', 60],
  ['2', 40],
  ['3', 30],
  ['4', 20],
  ['5', 15],
  ['7', 4],
  ['9', 1],
  ['10', 1],
  ['', 29],
];
const TOTAL = 200;
/** Quintile = decile ÷ 2 rounded up; a blank is `unknown`. */
const QUINTILES = { '1': 100, '2': 50, '3': 15, '4': 4, '5': 2, unknown: 29 };
const DECILES_OF: Record<string, number[] | null> = {
  '1': [1, 2],
  '2': [3, 4],
  '3': [5, 6],
  '4': [7, 8],
  '5': [9, 10],
  unknown: null,
};
const THRESHOLD = 10;

function feedbackFile(): Buffer {
  const rows: string[][] = [['reference', 'comment', 'date', 'imd decile']];
  let i = 0;
  for (const [decile, n] of DECILES) {
    for (let k = 0; k < n; k++, i++) {
      rows.push([
        `q-${i}`,
        `Comment ${i}: the bus to the hospital takes two hours and the clinic was kind`,
        `2024-0${(i % 6) + 1}-1${i % 9}`,
        decile,
      ]);
    }
  }
  return csv(rows);
}

describe('deprivation quintile: a population group derived from the decile', () => {
  let app: INestApplication<App>;
  let batch: string;

  /** The true cell of a quintile, counted on the stored deciles (not on the derived value). */
  async function trueCell(quintile: string): Promise<KeyedCount> {
    const deciles = DECILES_OF[quintile];
    const [r] = await app.get(DataSource).query<Array<{ n: number; k: number }>>(
      `SELECT count(*)::int AS n, coalesce(sum(${keyPartSql('insight')}), 0)::int AS k FROM insight
          WHERE batch_id = $1 AND ${deciles === null ? 'deprivation_decile IS NULL' : 'deprivation_decile = ANY($2::int[])'}`,
      deciles === null ? [batch] : [batch, deciles],
    );
    return { count: r.n, keySum: r.k };
  }

  beforeAll(async () => {
    app = await createTestApp();
    await truncateAll(app);
    await ensureOrg(app, 'hw-imd', 'healthwatch');
    batch = await importBatch(app, feedbackFile(), 'deprivation.csv', {
      organisation: 'hw-imd',
      sourceType: 'survey',
      sharingLevel: 'system',
    });
  }, 300_000);
  afterAll(async () => {
    await app.close();
  });

  it('analysts filter and count by quintile exactly, in the index and in PostgreSQL alike', async () => {
    const all = await searchOk(app, { batch, facets: 'deprivationQuintile' }, 'analyst');
    expect(all.total).toBe(TOTAL);
    expect(all.facets.deprivationQuintile).toEqual(QUINTILES);
    for (const [quintile, n] of Object.entries(QUINTILES)) {
      const hits = await searchOk(
        app,
        { batch, deprivationQuintile: quintile, pageSize: 100 },
        'analyst',
      );
      expect(hits.total).toBe(n);
      expect(hits.hits.every((h) => h.demographics?.deprivationQuintile === quintile)).toBe(true);
      const summary = await get(
        app,
        '/api/v1/insights/summary',
        { batch, deprivationQuintile: quintile },
        'analyst',
      );
      expect(summary.body.count).toBe(n);
    }
    const most = await searchOk(app, { batch, deprivationQuintile: '5' }, 'analyst');
    const one = await get(app, `/api/v1/insights/${most.hits[0].id}`, {}, 'analyst');
    expect(one.body.demographics).toMatchObject({ deprivationQuintile: '5' });
  });

  it('analysts export the quintile as the last column', async () => {
    const res = await get(
      app,
      '/api/v1/insights/export',
      { format: 'csv', batch, deprivationQuintile: '4,5' },
      'analyst',
    ).buffer(true);
    expect(res.status).toBe(200);
    const rows: string[][] = parse(res.text, { bom: true });
    expect(rows[0][rows[0].length - 1]).toBe('deprivation_quintile');
    expect(rows[0].slice(-4)).toEqual([
      'religion',
      'organisation_name',
      'batch_title',
      'deprivation_quintile',
    ]);
    expect(
      rows
        .slice(1)
        .map((r) => r[r.length - 1])
        .sort(),
    ).toEqual(['4', '4', '4', '4', '5', '5']);
  });

  describe.each(['commissioner', 'partner'] as const)('as a %s', (role) => {
    it('counts by quintile are published through the cell key method', async () => {
      const res = await searchOk(app, { batch, facets: 'deprivationQuintile' }, role);
      expect(res.total).toBe(TOTAL);
      for (const quintile of Object.keys(QUINTILES)) {
        expect(res.facets.deprivationQuintile[quintile]).toBe(
          publishCount(await trueCell(quintile), THRESHOLD),
        );
      }
      // 4 and 2 comments: below the threshold, shown as "fewer than 10" whatever the key.
      expect(res.facets.deprivationQuintile['4']).toBeNull();
      expect(res.facets.deprivationQuintile['5']).toBeNull();
      expect(res.suppressed.deprivationQuintile).toEqual(expect.arrayContaining(['4', '5']));
      expect(res.notice).toContain('disclosure control');
      expect(res.hits.every((h) => h.demographics === undefined)).toBe(true);

      const summary = await get(
        app,
        '/api/v1/insights/summary',
        { batch, deprivationQuintile: '3' },
        role,
      );
      expect(summary.status).toBe(200);
      expect(summary.body.count).toBe(publishCount(await trueCell('3'), THRESHOLD));
    });

    it('the quintile cannot select comments', async () => {
      const res = await get(
        app,
        '/api/v1/insights/search',
        { batch, deprivationQuintile: '5' },
        role,
      );
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_input');
      expect(res.body.message).toContain(
        'deprivationQuintile is a population-group filter, available to your role in counts only',
      );
      const exported = await get(
        app,
        '/api/v1/insights/export',
        { batch, deprivationQuintile: '1,2,3,4' },
        role,
      );
      // Partners have no export at all.
      expect(exported.status).toBe(role === 'partner' ? 403 : 400);
    });
  });

  it('refuses a value outside the closed list, naming the allowed ones', async () => {
    const res = await get(
      app,
      '/api/v1/insights/search',
      { batch, deprivationQuintile: '6' },
      'analyst',
    );
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(
      "deprivationQuintile must be one of: 1, 2, 3, 4, 5, unknown (got '6')",
    );
  });
});
