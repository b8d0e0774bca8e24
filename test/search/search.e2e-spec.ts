import type { INestApplication } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import * as ExcelJS from 'exceljs';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { HOSTILE_FILTER_VALUES } from '../../src/search/query/filter-builder';

/** The export's columns, as the README lists them: part of the API, so spelt out here. */
const EXPORT_HEADERS = [
  'id',
  'date',
  'text',
  'question',
  'theme_codes',
  'theme_names',
  'sentiment',
  'sentiment_score',
  'source_type',
  'organisation_id',
  'batch_id',
  'hcp_area',
  'district_code',
  'district_name',
  'postcode_district',
  'language',
  'sharing_level',
];
const DEMOGRAPHIC_EXPORT_HEADERS = [
  'age_band',
  'sex',
  'gender_identity',
  'ethnicity_group',
  'disability',
  'carer',
  'sexual_orientation',
  'religion',
];
const NAME_EXPORT_HEADERS = ['organisation_name', 'batch_title'];
import { createTestApp, truncateAll } from '../support/test-app';
import { ensureOrg } from '../support/batches';
import {
  csv,
  get,
  importBatch,
  phase1Sample,
  PHASE1_FILE,
  searchOk,
  type SearchBody,
} from './search-fixtures';

const FEMALE = 24;
const MALE = 4;

/** Comments with known words, places, dates and demographics, imported through the API. */
function syntheticFile(): Buffer {
  const rows: string[][] = [['reference', 'comment', 'date', 'postcode', 'age', 'sex']];
  rows.push([
    'ed-1',
    'Waited six hours in the emergency department before anyone saw me',
    '2024-01-10',
    '',
    '',
    '',
  ]);
  rows.push([
    'ed-2',
    'Casualty was packed on Saturday night and the toilets were dirty',
    '2024-01-12',
    '',
    '',
    '',
  ]);
  rows.push([
    'bus-1',
    'The only bus to the clinic in ME10 runs twice a day',
    '2024-02-01',
    '',
    '',
    '',
  ]);
  rows.push([
    'ods-1',
    'Practice G82045 answered the phone within a minute',
    '2024-02-02',
    '',
    '',
    '',
  ]);
  rows.push([
    'formula-1',
    '=HYPERLINK("http://example.invalid","click") was written on the card',
    '2024-02-03',
    '',
    '',
    '',
  ]);
  for (let i = 1; i <= FEMALE; i++) {
    const month = String((i % 3) + 1).padStart(2, '0');
    rows.push([
      `f-${i}`,
      `Pharmacy visit ${i}: the pharmacy closes too early for people who work`,
      `2024-${month}-15`,
      'ME14 5AA',
      '35',
      'F',
    ]);
  }
  for (let i = 1; i <= MALE; i++) {
    rows.push([
      `m-${i}`,
      `Pharmacy queue ${i}: waited at the pharmacy counter for an hour`,
      '2024-03-20',
      'CT9 1AA',
      '70',
      'M',
    ]);
  }
  return csv(rows);
}

describe('searching insight: GET /api/v1/insights/search and friends', () => {
  let app: INestApplication<App>;
  let syntheticBatch: string;
  let restrictedBatch: string;
  let realBatch: string | undefined;

  beforeAll(async () => {
    app = await createTestApp();
    await truncateAll(app);
    await ensureOrg(app, 'hw-search', 'healthwatch');
    syntheticBatch = await importBatch(app, syntheticFile(), 'synthetic.csv', {
      organisation: 'hw-search',
      sourceType: 'roadshow',
      sharingLevel: 'icb',
    });
    restrictedBatch = await importBatch(
      app,
      csv([
        ['reference', 'comment'],
        ...[1, 2, 3, 4, 5].map((i) => [`r-${i}`, `Restricted pharmacy complaint number ${i}`]),
      ]),
      'restricted.csv',
      { organisation: 'hw-search', sourceType: 'pals_complaint', sharingLevel: 'restricted' },
    );
    const real = phase1Sample(1500);
    if (real) {
      await ensureOrg(app, 'nhse-phase1', 'trust');
      realBatch = await importBatch(app, real, 'phase1-sample.csv', {
        organisation: 'nhse-phase1',
        sourceType: 'fft',
        sharingLevel: 'system',
      });
    } else {
      console.warn(`Relevance on published comments skipped: ${PHASE1_FILE} is not present`);
    }
  }, 600_000);
  afterAll(async () => {
    await app.close();
  });

  const texts = (body: SearchBody) => body.hits.map((h) => h.text.replace(/<\/?mark>/g, ''));

  describe('relevance', () => {
    it('finds misspelt words in real comments: "apointment" and "recepshionist"', async () => {
      if (!realBatch) return;
      const ds = app.get(DataSource);
      const [{ n: withWord }] = await ds.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM insight WHERE batch_id = $1 AND text ~* '\\mappointments?\\M'`,
        [realBatch],
      );
      expect(withWord).toBeGreaterThan(20);
      const typo = await searchOk(app, { q: 'apointment', batch: realBatch, pageSize: 100 });
      expect(typo.total).toBeGreaterThanOrEqual(withWord);
      for (const t of texts(typo).slice(0, 20)) expect(t).toMatch(/appoint|appt/i);
      expect(typo.hits[0].text).toMatch(/<mark>appointmen/i);

      const recep = await searchOk(app, { q: 'recepshionist', batch: realBatch });
      expect(recep.total).toBeGreaterThan(0);
      for (const t of texts(recep).slice(0, 10)) expect(t).toMatch(/recep|front desk/i); // real comments misspell it too
    });

    it('matches plurals both ways on real comments', async () => {
      if (!realBatch) return;
      const ds = app.get(DataSource);
      const [{ id }] = await ds.query<Array<{ id: string }>>(
        `SELECT id FROM insight WHERE batch_id = $1 AND text ~* '\\mnurse\\M' AND text !~* '\\mnurses\\M' LIMIT 1`,
        [realBatch],
      );
      const plural = await searchOk(app, { q: 'nurses', batch: realBatch, pageSize: 100 });
      const all = [plural];
      for (let page = 2; page <= Math.ceil((plural.total ?? 0) / 100); page++) {
        all.push(await searchOk(app, { q: 'nurses', batch: realBatch, pageSize: 100, page }));
      }
      expect(all.flatMap((b) => b.hits.map((h) => h.id))).toContain(id);
    });

    it('A&E finds "emergency department" and "casualty"', async () => {
      for (const q of ['A&E', 'a&e', 'ED']) {
        const body = await searchOk(app, { q, batch: syntheticBatch });
        expect(texts(body)).toEqual(
          expect.arrayContaining([
            expect.stringContaining('emergency department'),
            expect.stringContaining('Casualty'),
          ]),
        );
      }
    });

    it('postcode districts and ODS codes are never typo-matched', async () => {
      const exact = await searchOk(app, { q: 'ME10', batch: syntheticBatch });
      expect(texts(exact)).toEqual([expect.stringContaining('ME10')]);
      expect((await searchOk(app, { q: 'ME11', batch: syntheticBatch })).total).toBe(0);
      expect((await searchOk(app, { q: 'ME1', batch: syntheticBatch })).total).toBe(0);

      const ods = await searchOk(app, { q: 'G82045', batch: syntheticBatch });
      expect(texts(ods)).toEqual([expect.stringContaining('G82045')]);
      expect((await searchOk(app, { q: 'G82046', batch: syntheticBatch })).total).toBe(0);
    });

    it('highlights matches with <mark>, escapes everything else, and crops long text', async () => {
      const body = await searchOk(app, { q: 'pharmacy counter', batch: syntheticBatch });
      expect(body.hits[0].text).toContain('<mark>counter</mark>');
      const formula = await searchOk(app, { q: 'HYPERLINK', batch: syntheticBatch });
      expect(formula.hits[0].text).toContain('&quot;http://example.invalid&quot;');
      expect(formula.hits[0].text).not.toMatch(/<(?!\/?mark>)/);
    });
  });

  describe('filters, facets, sorting and paging', () => {
    it('counts exactly, pages, and sorts by date', async () => {
      const first = await searchOk(app, {
        q: 'pharmacy',
        batch: syntheticBatch,
        pageSize: 10,
        sort: 'newest',
      });
      expect(first.total).toBe(FEMALE + MALE);
      expect(first.hits).toHaveLength(10);
      const dates = first.hits.map((h) => h.date!);
      expect(dates).toEqual([...dates].sort().reverse());
      const last = await searchOk(app, {
        q: 'pharmacy',
        batch: syntheticBatch,
        pageSize: 10,
        page: 3,
        sort: 'newest',
      });
      expect(last.hits).toHaveLength(FEMALE + MALE - 20);
      const oldest = await searchOk(app, { batch: syntheticBatch, sort: 'oldest', pageSize: 1 });
      expect(oldest.hits[0].date).toBe('2024-01-10');
    });

    it('filters by place, date and source type, with exact facet counts', async () => {
      const body = await searchOk(app, {
        batch: syntheticBatch,
        hcpArea: 'West Kent',
        dateFrom: '2024-02-01',
        dateTo: '2024-03-31',
        facets: 'sourceType,district,hcpArea',
      });
      expect(body.total).toBe(16);
      expect(body.hits.every((h) => h.place.hcpArea === 'West Kent')).toBe(true);
      expect(body.facets.hcpArea).toEqual({ 'West Kent': 16 });
      expect(body.facets.sourceType).toEqual({ roadshow: 16 });
      expect(body.facets.district).toEqual({ E07000110: 16 });
    });

    it('keeps restricted batches from commissioners and shows them to the ICB', async () => {
      const admin = await searchOk(app, { q: 'Restricted pharmacy complaint' });
      expect(admin.hits.some((h) => h.batchId === restrictedBatch)).toBe(true);
      const commissioner = await searchOk(
        app,
        { q: 'Restricted pharmacy complaint' },
        'commissioner',
      );
      expect(commissioner.hits.some((h) => h.batchId === restrictedBatch)).toBe(false);
    });
  });

  describe('filter values cannot widen a search', () => {
    it('an honest filter finds comments (the baseline the hostile values are held to)', async () => {
      const honest = await searchOk(app, { hcpArea: 'West Kent' }, 'commissioner');
      expect(honest.total).toBe(FEMALE);
    });

    it.each(['hcpArea', 'theme', 'district', 'postcodeDistrict', 'language', 'batch', 'sex'])(
      'every hostile %s value gives 0 hits or a 400 naming it',
      async (field) => {
        for (const value of HOSTILE_FILTER_VALUES) {
          if (value === '') continue;
          const res = await get(app, '/api/v1/insights/search', { [field]: value }, 'commissioner');
          if (res.status === 400) {
            expect(JSON.stringify(res.body.details)).toContain(field);
          } else {
            expect(res.status).toBe(200);
            expect((res.body as SearchBody).total).toBe(0);
          }
        }
      },
    );

    it('an unknown value of a closed list is named with the allowed ones, on every path', async () => {
      for (const path of [
        '/api/v1/insights/search',
        '/api/v1/insights/summary',
        '/api/v1/insights/trends',
        '/api/v1/insights/export',
      ]) {
        const res = await get(
          app,
          path,
          { hcpArea: 'Narnia', sourceType: 'carrier_pigeon' },
          'analyst',
        );
        expect(res.status).toBe(400);
        const details = res.body.details as Array<{ parameter: string; message: string }>;
        expect(details).toEqual(
          expect.arrayContaining([
            {
              parameter: 'hcpArea',
              message: expect.stringMatching(
                /^hcpArea must be one of: .*West Kent.* \(got 'Narnia'\)$/,
              ),
            },
            {
              parameter: 'sourceType',
              message: expect.stringContaining("(got 'carrier_pigeon')"),
            },
          ]),
        );
      }
      const district = await get(
        app,
        '/api/v1/insights/search',
        { district: 'E99999999' },
        'analyst',
      );
      expect(district.status).toBe(400);
      expect(district.body.message).toContain('district must be one of: E0');
    });

    it('the same values in trends and summary count nothing', async () => {
      for (const value of HOSTILE_FILTER_VALUES.filter((v) => v !== '')) {
        const res = await get(app, '/api/v1/insights/summary', { hcpArea: value }, 'commissioner');
        if (res.status === 400) {
          expect(JSON.stringify(res.body.details)).toContain('hcpArea');
        } else {
          expect(res.status).toBe(200);
          expect(res.body.count).toBe(0);
        }
        const trends = await get(
          app,
          '/api/v1/insights/trends',
          { hcpArea: value },
          'commissioner',
        );
        if (trends.status !== 400) expect(trends.body.series).toEqual([]);
      }
    });
  });

  describe('disclosure control', () => {
    it('publishes demographic facet counts to commissioners through cell keys, exact to analysts', async () => {
      const params = { batch: syntheticBatch, q: 'pharmacy', facets: 'sex,sourceType' };
      const analyst = await searchOk(app, params, 'analyst');
      expect(analyst.facets.sex).toMatchObject({ female: FEMALE, male: MALE });
      expect(analyst.suppressed).toEqual({});

      const commissioner = await searchOk(app, params, 'commissioner');
      // The total is not split by a group, so it stays exact; so do other facets.
      expect(commissioner.total).toBe(FEMALE + MALE);
      expect(commissioner.facets.sourceType).toEqual({ roadshow: FEMALE + MALE });
      expect(Math.abs(commissioner.facets.sex.female! - FEMALE)).toBeLessThanOrEqual(2);
      // Four men and no intersex respondents look alike.
      expect(commissioner.facets.sex.male).toBeNull();
      expect(commissioner.facets.sex.intersex).toBeNull();
      expect(commissioner.suppressed.sex).toEqual(
        expect.arrayContaining(['male', 'intersex', 'other', 'unknown', 'prefer_not_to_say']),
      );
      expect(commissioner.notice).toMatch(/disclosure control/);
    });

    it('lets only row-level roles select comments by a demographic filter', async () => {
      for (const sex of ['male', 'female']) {
        const res = await get(
          app,
          '/api/v1/insights/search',
          { batch: syntheticBatch, sex },
          'commissioner',
        );
        expect(res.status).toBe(400);
        expect(res.body.message).toMatch(
          /sex is a population-group filter, available to your role in counts only/,
        );
        expect(res.body.details).toEqual([expect.objectContaining({ parameter: 'sex' })]);
      }
      const analyst = await searchOk(app, { batch: syntheticBatch, sex: 'male' }, 'analyst');
      expect(analyst.total).toBe(MALE);
      expect(analyst.hits[0].demographics).toMatchObject({ sex: 'male', ageBand: '65-74' });
    });
  });

  describe('bad input', () => {
    it.each([
      [{ colour: 'blue' }, 'colour', /unknown parameter 'colour'/],
      [{ pageSize: '101' }, 'pageSize', /pageSize must be between 1 and 100/],
      [{ dateFrom: '2024-02-30' }, 'dateFrom', /dateFrom must be a real date/],
      [{ sentiment: 'furious' }, 'sentiment', /sentiment must be one of/],
    ])('%j → 400 naming %s', async (params, name, message) => {
      const res = await get(app, '/api/v1/insights/search', params);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_input');
      expect(res.body.message).toMatch(message);
      expect(res.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ parameter: name })]),
      );
    });

    it('names every bad parameter at once, without echoing the search text', async () => {
      const res = await get(app, '/api/v1/insights/search', {
        q: 'my name is Jane Doe',
        pageSize: '0',
        sort: 'random',
      });
      expect(res.status).toBe(400);
      expect((res.body.details as Array<{ parameter: string }>).map((d) => d.parameter)).toEqual(
        expect.arrayContaining(['pageSize', 'sort']),
      );
      expect(JSON.stringify(res.body)).not.toContain('Jane');
    });
  });

  describe('trends and summary (PostgreSQL, same filters)', () => {
    async function themeCounts(): Promise<Map<string, number>> {
      const rows = await app.get(DataSource).query<Array<{ code: string; n: number }>>(
        `SELECT t.code, count(*)::int AS n FROM insight i CROSS JOIN LATERAL unnest(i.theme_codes) t(code)
         WHERE i.batch_id = $1 GROUP BY 1`,
        [syntheticBatch],
      );
      return new Map(rows.map((r) => [r.code, r.n]));
    }

    it('counts comments per month and theme, as PostgreSQL holds them', async () => {
      const res = await get(
        app,
        '/api/v1/insights/trends',
        { interval: 'month', by: 'theme', batch: syntheticBatch },
        'analyst',
      );
      expect(res.status).toBe(200);
      expect(res.body.periods).toEqual(['2024-01-01', '2024-02-01', '2024-03-01']);
      expect(res.body.series).toHaveLength(1);
      const expected = await themeCounts();
      const codes = (res.body.themes as Array<{ code: string }>).map((t) => t.code);
      expect(new Set(codes)).toEqual(new Set(expected.keys()));
      codes.forEach((code, i) => {
        expect(res.body.series[0].themeTotals[i]).toBe(expected.get(code));
      });
      expect(res.body.suppressionApplied).toBe(false);
    });

    it('splits by HCP area, exactly for commissioners too when no population group is asked for', async () => {
      const analyst = await get(
        app,
        '/api/v1/insights/trends',
        { interval: 'quarter', split: 'hcpArea', batch: syntheticBatch },
        'analyst',
      );
      expect((analyst.body.series as Array<{ split: string | null }>).map((s) => s.split)).toEqual([
        null,
        'East Kent',
        'Medway and Swale', // the bus comment names ME10
        'West Kent',
      ]);
      const commissioner = await get(
        app,
        '/api/v1/insights/trends',
        { interval: 'quarter', split: 'hcpArea', batch: syntheticBatch },
        'commissioner',
      );
      expect(commissioner.body.suppressionApplied).toBe(false);
      expect(commissioner.body.series).toEqual(analyst.body.series);
      expect(commissioner.body.total).toBe(analyst.body.total);
      const cells = (commissioner.body.series as Array<{ cells: (number | null)[][] }>).flatMap(
        (s) => s.cells.flat(),
      );
      expect(cells.some((n) => n !== null && n > 0 && n < 10)).toBe(true);
    });

    it('rejects a bad interval by name', async () => {
      const res = await get(app, '/api/v1/insights/trends', {
        interval: 'fortnight',
        split: 'colour',
      });
      expect(res.status).toBe(400);
      expect((res.body.details as Array<{ parameter: string }>).map((d) => d.parameter)).toEqual([
        'interval',
        'split',
      ]);
    });

    it('summarises any search: count, organisations, source types, dates, themes, sentiment', async () => {
      const all = await get(app, '/api/v1/insights/summary', { batch: syntheticBatch });
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({
        count: 5 + FEMALE + MALE,
        organisations: 1,
        sourceTypes: { roadshow: 5 + FEMALE + MALE },
        dateRange: { from: '2024-01-10', to: '2024-03-20' },
      });
      const sentimentTotal = Object.values(all.body.sentiment as Record<string, number>).reduce(
        (a, b) => a + b,
        0,
      );
      expect(sentimentTotal).toBe(5 + FEMALE + MALE);
      expect(all.body.topThemes.length).toBeGreaterThan(0);

      const text = await get(app, '/api/v1/insights/summary', {
        batch: syntheticBatch,
        q: 'pharmacy',
      });
      const search = await searchOk(app, { batch: syntheticBatch, q: 'pharmacy' });
      expect(text.body.count).toBe(search.total);
      expect(text.body.dateRange.to).toBe('2024-03-20');
    });
  });

  describe('export', () => {
    it('streams CSV with a stable header, every row, and formulas neutralised', async () => {
      const res = await get(
        app,
        '/api/v1/insights/export',
        { format: 'csv', batch: syntheticBatch },
        'analyst',
      ).buffer(true);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/csv/);
      const rows: string[][] = parse(res.text, { bom: true });
      expect(rows[0]).toEqual([
        ...EXPORT_HEADERS,
        ...DEMOGRAPHIC_EXPORT_HEADERS,
        ...NAME_EXPORT_HEADERS,
        'deprivation_quintile',
      ]);
      expect(rows).toHaveLength(1 + 5 + FEMALE + MALE);
      const text = rows.map((r) => r[2]);
      expect(text).toContain(
        `'=HYPERLINK("http://example.invalid","click") was written on the card`,
      );
      expect(text.filter((t) => /^[=+\-@]/.test(t))).toEqual([]);
      expect(text).toContain('Casualty was packed on Saturday night and the toilets were dirty');
    });

    it('leaves demographic columns out for commissioners', async () => {
      const res = await get(
        app,
        '/api/v1/insights/export',
        { batch: syntheticBatch },
        'commissioner',
      ).buffer(true);
      const rows: string[][] = parse(res.text, { bom: true });
      expect(rows[0]).toEqual([...EXPORT_HEADERS, ...NAME_EXPORT_HEADERS]);
    });

    it('writes XLSX and JSON for the same search', async () => {
      const x = await get(app, '/api/v1/insights/export', {
        format: 'xlsx',
        batch: syntheticBatch,
        q: 'HYPERLINK',
      }).responseType('blob');
      expect(x.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(x.body as ArrayBuffer);
      const sheet = wb.worksheets[0];
      expect(sheet.rowCount).toBe(2);
      expect(sheet.getRow(2).getCell(3).text).toMatch(/^'=HYPERLINK/);

      const j = await get(app, '/api/v1/insights/export', {
        format: 'json',
        batch: syntheticBatch,
        sex: 'male',
      }).buffer(true);
      const records = j.body as Array<Record<string, string>>;
      expect(records).toHaveLength(MALE);
      expect(records.every((r) => r.sex === 'male' && r.hcp_area === 'East Kent')).toBe(true);
    });

    it('refuses roles without export rights and unknown formats', async () => {
      expect((await get(app, '/api/v1/insights/export', {}, 'partner')).status).toBe(403);
      expect((await get(app, '/api/v1/insights/export', {}, 'anonymous')).status).toBe(401);
      const bad = await get(app, '/api/v1/insights/export', { format: 'pdf' });
      expect(bad.status).toBe(400);
      expect(bad.body.details[0].parameter).toBe('format');
    });

    it('refuses an export over EXPORT_MAX_ROWS, naming the cap and the count', async () => {
      process.env.EXPORT_MAX_ROWS = '10';
      const small = await createTestApp('api');
      delete process.env.EXPORT_MAX_ROWS;
      try {
        const res = await get(small, '/api/v1/insights/export', { batch: syntheticBatch });
        expect(res.status).toBe(413);
        expect(res.body.message).toContain(`${5 + FEMALE + MALE} comments`);
        expect(res.body.message).toContain('limit of 10');
        expect(res.body.details).toEqual({ count: 5 + FEMALE + MALE, limit: 10 });
        expect(
          (await get(small, '/api/v1/insights/export', { batch: syntheticBatch, sex: 'male' }))
            .status,
        ).toBe(200);
      } finally {
        await small.close();
      }
    });
  });

  describe('GET /api/v1/insights/:id', () => {
    it('returns the comment from PostgreSQL, 404 when missing or out of scope', async () => {
      const hit = (await searchOk(app, { q: 'Casualty', batch: syntheticBatch })).hits[0];
      const res = await get(app, `/api/v1/insights/${hit.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: hit.id,
        text: 'Casualty was packed on Saturday night and the toilets were dirty',
        batchId: syntheticBatch,
        date: '2024-01-12',
      });
      expect(res.body.demographics).toBeDefined();
      const asPartner = await get(app, `/api/v1/insights/${hit.id}`, {}, 'partner');
      expect(asPartner.status).toBe(404);
      expect((await get(app, '/api/v1/insights/00000000-0000-4000-8000-000000000000')).status).toBe(
        404,
      );
      expect((await get(app, '/api/v1/insights/not-an-id')).status).toBe(404);

      const restricted = await app
        .get(DataSource)
        .query<Array<{ id: string }>>(`SELECT id FROM insight WHERE batch_id = $1 LIMIT 1`, [
          restrictedBatch,
        ]);
      expect(
        (await get(app, `/api/v1/insights/${restricted[0].id}`, {}, 'commissioner')).status,
      ).toBe(404);
      expect((await get(app, `/api/v1/insights/${restricted[0].id}`, {}, 'moderator')).status).toBe(
        200,
      );
    });
  });
});
