import type { INestApplication } from '@nestjs/common';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import {
  CELL_KEY_BITS,
  keyPartSql,
  publishCount,
  type KeyedCount,
} from '../../src/search/query/disclosure';
import { ETHNICITY_GROUPS } from '../../src/enrichment/demographics/demographics';
import { ensureOrg } from '../support/batches';
import { createTestApp, truncateAll } from '../support/test-app';
import { csv, get, importBatch, searchOk } from './search-fixtures';

/**
 * The attacks of a hostile commissioner or partner on small-number protection, against the real
 * services. One system-wide batch of 300 comments: 280 White, 12 Asian, 5 Mixed, 3 Black.
 */
const GROUPS: Array<[string, string, number]> = [
  ['white', 'White British', 280],
  ['asian', 'Asian or Asian British: Indian', 12],
  ['mixed', 'Mixed: White and Asian', 5],
  ['black', 'Black or Black British: Caribbean', 3],
];
const TOTAL = 300;
const THRESHOLD = 10;
const NOT_BLACK = ETHNICITY_GROUPS.filter((g) => g !== 'black').join(',');
const EAST_KENT = 'East Kent';

function feedbackFile(): Buffer {
  const rows: string[][] = [
    ['reference', 'comment', 'date', 'postcode', 'age', 'sex', 'ethnicity'],
  ];
  let i = 0;
  for (const [group, answer, n] of GROUPS) {
    for (let k = 0; k < n; k++, i++) {
      // Asian, Mixed and Black respondents are all in East Kent (CT1); White ones are spread.
      const postcode = group !== 'white' || i % 2 === 0 ? 'CT1 1AA' : 'ME14 5AA';
      const month = String((i % 6) + 1).padStart(2, '0');
      const day = String((i % 27) + 1).padStart(2, '0');
      rows.push([
        `d-${i}`,
        `Comment ${i}: I waited three weeks for a GP appointment and the receptionist was kind`,
        `2024-${month}-${day}`,
        postcode,
        String(20 + (i % 60)),
        i % 3 === 0 ? 'Male' : 'Female',
        answer,
      ]);
    }
  }
  return csv(rows);
}

type Params = Record<string, string>;

describe('disclosure control holds against differencing (cell key method)', () => {
  let app: INestApplication<App>;
  let batch: string;
  let theme: string;

  /** The true count and key sum of a cell, read straight from PostgreSQL. */
  async function trueCell(where: string, params: unknown[]): Promise<KeyedCount> {
    const [r] = await app
      .get(DataSource)
      .query<Array<{ n: number; k: number }>>(
        `SELECT count(*)::int AS n, coalesce(sum(${keyPartSql('insight')}), 0)::int AS k FROM insight WHERE batch_id = $1 AND ${where}`,
        [batch, ...params],
      );
    return { count: r.n, keySum: r.k };
  }

  /** Every true count a reader who knows the published table could be looking at. */
  function consistent(published: number | null, max: number): number[] {
    const out: number[] = [];
    for (let n = 0; n <= max; n++) {
      for (let k = 0; k <= n * (2 ** CELL_KEY_BITS - 1); k++) {
        if (publishCount({ count: n, keySum: k }, THRESHOLD) === published) {
          out.push(n);
          break;
        }
      }
    }
    return out;
  }

  beforeAll(async () => {
    app = await createTestApp();
    await truncateAll(app);
    await ensureOrg(app, 'hw-disclosure', 'healthwatch');
    batch = await importBatch(app, feedbackFile(), 'groups.csv', {
      organisation: 'hw-disclosure',
      sourceType: 'survey',
      sharingLevel: 'system',
    });
    const summary = await get(app, '/api/v1/insights/summary', { batch }, 'analyst');
    theme = (summary.body as { topThemes: Array<{ code: string; count: number }> }).topThemes[0]
      .code;
    expect(summary.body.count).toBe(TOTAL);
  }, 300_000);
  afterAll(async () => {
    await app.close();
  });

  it('the data is what the attacks assume: analysts see exact counts and may select by group', async () => {
    const analyst = await searchOk(app, { batch, facets: 'ethnicityGroup' }, 'analyst');
    expect(analyst.facets.ethnicityGroup).toMatchObject({
      white: 280,
      asian: 12,
      mixed: 5,
      black: 3,
    });
    const black = await searchOk(app, { batch, ethnicityGroup: 'black' }, 'analyst');
    expect(black.total).toBe(3);
    expect(black.hits.every((h) => h.demographics?.ethnicityGroup === 'black')).toBe(true);
    const trends = await get(
      app,
      '/api/v1/insights/trends',
      { batch, ethnicityGroup: 'black' },
      'analyst',
    );
    expect(trends.body).toMatchObject({ total: 3, suppressionApplied: false });
  });

  describe.each(['commissioner', 'partner'] as const)('as a %s', (role) => {
    it('search: a demographic filter cannot select comments (complement totals, hit sets)', async () => {
      const asked: Params[] = [
        { batch, ethnicityGroup: NOT_BLACK },
        { batch, ethnicityGroup: 'white,black' },
        { batch, ethnicityGroup: 'white' },
        { batch, ethnicityGroup: NOT_BLACK, facets: 'sex,ageBand' },
        { batch, q: 'appointment', ethnicityGroup: 'black', pageSize: '100' },
      ];
      for (const params of asked) {
        const res = await get(app, '/api/v1/insights/search', params, role);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('invalid_input');
        expect(res.body.message).toContain(
          'ethnicityGroup is a population-group filter, available to your role in counts only',
        );
      }
      // Without one, hits carry no demographics, and the total is exact (not split by a group).
      const plain = await searchOk(app, { batch, facets: 'ethnicityGroup', pageSize: '100' }, role);
      expect(plain.total).toBe(TOTAL);
      expect(plain.hits.every((h) => h.demographics === undefined)).toBe(true);
      expect(plain.facets.ethnicityGroup.black).toBeNull();
      expect(plain.facets.ethnicityGroup.mixed).toBeNull();
    });

    it('export: a demographic filter is refused, so no hit-set difference can be downloaded', async () => {
      const res = await get(
        app,
        '/api/v1/insights/export',
        { batch, ethnicityGroup: NOT_BLACK },
        role,
      );
      if (role === 'partner') {
        expect(res.status).toBe(403); // partners have no export at all
      } else {
        expect(res.status).toBe(400);
        expect(res.body.message).toContain('available to your role in counts only');
      }
    });

    it('summary: the complement total minus the exact total leaves the count unknown', async () => {
      const all = await get(app, '/api/v1/insights/summary', { batch }, role);
      expect(all.body.count).toBe(TOTAL);
      const complement = await get(
        app,
        '/api/v1/insights/summary',
        { batch, ethnicityGroup: NOT_BLACK },
        role,
      );
      expect(complement.status).toBe(200);
      const published = complement.body.count as number;
      const truth = await trueCell(`ethnicity_group <> 'black'`, []);
      expect(published).toBe(publishCount(truth, THRESHOLD));
      const blackCandidates = consistent(published, TOTAL).map((n) => TOTAL - n);
      expect(blackCandidates).toContain(3);
      expect(blackCandidates.length).toBeGreaterThanOrEqual(4);
      // The group's own breakdowns are published cells too: every value present, none below 10.
      for (const counts of [complement.body.sourceTypes, complement.body.sentiment] as Array<
        Record<string, number | null>
      >) {
        for (const n of Object.values(counts))
          if (n !== null) expect(n).toBeGreaterThanOrEqual(THRESHOLD);
      }
      expect(complement.body.organisations).toBeNull();
      expect(complement.body.dateRange).toEqual({ from: null, to: null });
    });

    it('trends: the complement total and cells are perturbed, so subtraction leaves the count unknown', async () => {
      const all = await get(app, '/api/v1/insights/trends', { batch }, role);
      expect(all.body.suppressionApplied).toBe(false);
      expect(all.body.total).toBe(TOTAL);
      const complement = await get(
        app,
        '/api/v1/insights/trends',
        { batch, ethnicityGroup: NOT_BLACK },
        role,
      );
      expect(complement.body.suppressionApplied).toBe(true);
      const candidates = consistent(complement.body.total as number, TOTAL).map((n) => TOTAL - n);
      expect(candidates).toContain(3);
      expect(candidates.length).toBeGreaterThanOrEqual(4);
      // Month by month, the exact total minus the complement's published total leaves every
      // month's Black count among several values (absence can sometimes be inferred; a count
      // of one or more never can: docs/disclosure.md).
      const periods = all.body.periods as string[];
      const exactMonths = (all.body.series as Array<{ periodTotals: number[] }>)[0].periodTotals;
      const perturbedMonths = (
        complement.body.series as Array<{ periodTotals: (number | null)[] }>
      )[0].periodTotals;
      expect(perturbedMonths).toHaveLength(exactMonths.length);
      let present = 0;
      for (let m = 0; m < periods.length; m++) {
        // Period totals count a comment once for each of its themes.
        const black = await trueCell(
          `ethnicity_group = 'black' AND date_trunc('month', comment_date) = $2::date AND cardinality(theme_codes) > 0`,
          [periods[m]],
        );
        const [tags] = await app
          .get(DataSource)
          .query<Array<{ n: number }>>(
            `SELECT coalesce(sum(cardinality(theme_codes)), 0)::int AS n FROM insight WHERE batch_id = $1 AND ethnicity_group = 'black' AND date_trunc('month', comment_date) = $2::date`,
            [batch, periods[m]],
          );
        if (black.count === 0) continue;
        present++;
        const options = consistent(perturbedMonths[m], exactMonths[m]).map(
          (n) => exactMonths[m] - n,
        );
        expect(options).toContain(tags.n);
        expect(options.length).toBeGreaterThanOrEqual(2);
      }
      expect(present).toBeGreaterThan(0);
    });

    it('facets under a complement filter: only perturbed counts, through summary and trends', async () => {
      const group = await get(
        app,
        '/api/v1/insights/summary',
        { batch, ethnicityGroup: NOT_BLACK, sex: 'male' },
        role,
      );
      expect(group.status).toBe(200);
      const truth = await trueCell(`ethnicity_group <> 'black' AND sex = 'male'`, []);
      expect(group.body.count).toBe(publishCount(truth, THRESHOLD));
      const everyone = await get(app, '/api/v1/insights/summary', { batch, sex: 'male' }, role);
      const candidates = consistent(group.body.count as number, TOTAL).map(
        (n) => (everyone.body.count as number) - n,
      );
      expect(candidates.length).toBeGreaterThanOrEqual(2);
    });

    it('the same cell asked 50 different ways gives one published value', async () => {
      const cell = { ethnicityGroup: 'asian', theme };
      const ways: Params[] = [];
      const extras: Params[] = [
        {},
        { hcpArea: EAST_KENT },
        { dateFrom: '2000-01-01' },
        { dateTo: '2030-12-31' },
        { sourceType: 'survey' },
        { sourceType: 'survey,fft' },
        { postcodeDistrict: 'CT1' },
        { district: 'E07000106' },
        { dateFrom: '2024-01-01', dateTo: '2024-12-31' },
        { organisation: '' },
      ];
      for (const a of extras)
        for (const b of extras.slice(0, 5)) ways.push({ batch, ...cell, ...a, ...b });
      expect(ways.length).toBe(50);
      const seen = new Set<number | null>();
      for (const params of ways) {
        const clean = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== ''));
        const res = await get(app, '/api/v1/insights/summary', clean, role);
        expect(res.status).toBe(200);
        seen.add(res.body.count as number | null);
      }
      const truth = await trueCell(`ethnicity_group = 'asian' AND $2 = ANY(theme_codes)`, [theme]);
      expect(truth.count).toBe(12);
      expect([...seen]).toEqual([publishCount(truth, THRESHOLD)]);
      expect([...seen][0]).not.toBeNull();
    });

    it('one cell gives the same number in search facets, trends and summary', async () => {
      const where = { batch, theme, hcpArea: EAST_KENT };
      const facets = await searchOk(app, { ...where, facets: 'ethnicityGroup' }, role);
      const trends = await get(
        app,
        '/api/v1/insights/trends',
        { ...where, ethnicityGroup: 'asian' },
        role,
      );
      const summary = await get(
        app,
        '/api/v1/insights/summary',
        { ...where, ethnicityGroup: 'asian' },
        role,
      );
      const fromFacet = facets.facets.ethnicityGroup.asian;
      expect(fromFacet).not.toBeNull();
      expect(trends.body.total).toBe(fromFacet);
      expect(summary.body.count).toBe(fromFacet);
      const themeColumn = (trends.body.themes as Array<{ code: string }>).findIndex(
        (t) => t.code === theme,
      );
      expect(
        (trends.body.series as Array<{ themeTotals: (number | null)[] }>)[0].themeTotals[
          themeColumn
        ],
      ).toBe(fromFacet);
    });

    it('a cell of 0 cannot be told from a cell of 1 to 9, on any endpoint', async () => {
      // Black: 3 respondents; "other": none. Both answers must be identical in every field.
      for (const path of ['/api/v1/insights/summary', '/api/v1/insights/trends']) {
        const three = await get(app, path, { batch, ethnicityGroup: 'black' }, role);
        const none = await get(app, path, { batch, ethnicityGroup: 'other' }, role);
        expect(three.status).toBe(200);
        expect(three.body).toEqual(none.body);
      }
      const facets = await searchOk(app, { batch, facets: 'ethnicityGroup' }, role);
      expect(facets.facets.ethnicityGroup.black).toBeNull();
      expect(facets.facets.ethnicityGroup.other).toBeNull();
      // Small date × postcode-district cells, with and without Black respondents in them.
      let withPeople = 0;
      for (const month of ['01', '02', '03', '04', '05', '06']) {
        const params = {
          batch,
          ethnicityGroup: 'black',
          postcodeDistrict: 'CT1',
          dateFrom: `2024-${month}-01`,
          dateTo: `2024-${month}-28`,
        };
        const truth = await trueCell(
          `ethnicity_group = 'black' AND postcode_district = 'CT1' AND comment_date BETWEEN $2::date AND $3::date`,
          [params.dateFrom, params.dateTo],
        );
        if (truth.count > 0) withPeople++;
        const res = await get(app, '/api/v1/insights/summary', params, role);
        const empty = await get(
          app,
          '/api/v1/insights/summary',
          { ...params, ethnicityGroup: 'other' },
          role,
        );
        expect(res.body).toEqual(empty.body);
      }
      expect(withPeople).toBeGreaterThan(0);
      expect(withPeople).toBeLessThan(6);
    });
  });
});
