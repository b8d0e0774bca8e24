import type { INestApplication } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { Logger } from 'nestjs-pino';
import { PassThrough } from 'node:stream';
import type { BrowserContext, Page } from 'playwright-core';
import type { App } from 'supertest/types';
import { IdentityService } from '../../src/access/identity.service';
import type { Role } from '../../src/access/permissions';
import { logTarget } from '../../src/common/logger';
import { TaggingService } from '../../src/enrichment/tagging/tagging.service';
import { http, keyFor, keyOf, TEST_ICB } from '../support/auth';
import { ensureOrg, upload, waitForBatch } from '../support/batches';
import {
  checkPage,
  createPageUser,
  newContext,
  signIn,
  startBrowser,
  type BrowserRun,
} from '../support/browser';
import { createTestApp, truncateAll } from '../support/test-app';

jest.setTimeout(600_000);

const PARTNER_ORG = 'hw-newcomer';
const TRENDS_TITLE = 'Two years of listening';

/** Comments every month from January 2022 to June 2024, except January 2024. */
function trendsCsv(): string {
  const rows = ['reference,comment,date,postcode'];
  let n = 0;
  for (let year = 2022; year <= 2024; year++)
    for (let month = 1; month <= 12; month++) {
      if (year === 2024 && (month === 1 || month > 6)) continue;
      const m = String(month).padStart(2, '0');
      rows.push(
        `t-${++n},I could not get an appointment at my GP surgery for weeks,${year}-${m}-05,ME14 5FY`,
      );
      rows.push(`t-${++n},The receptionist was rude on the phone,${year}-${m}-12,CT1 2AB`);
    }
  return rows.join('\n');
}

/**
 * Enough rows that processing can be watched, a reference column named row_index, a column
 * nobody maps, a phone number (redacted) and one empty comment (rejected).
 */
function watchedCsv(): string {
  const rows = ['row_index,comment,date,ward colour'];
  for (let i = 1; i <= 1000; i++)
    rows.push(`${i},The staff on the ward were kind to my mother (visit ${i}),2024-03-10,blue`);
  rows.push('1001,Please call me on 07700 900123 about my appointment,2024-03-12,green');
  rows.push('1002,,2024-03-14,green');
  return rows.join('\n');
}

const SURVEY_CSV = [
  'Respondent ID,What was good?,What could be better?',
  'r1,The nurses explained everything clearly,The car park was always full',
  'r2,The pharmacy was quick,',
].join('\n');

function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('a newcomer’s first day, in a real browser', () => {
  let app: INestApplication<App>;
  let run: BrowserRun;
  let logged = '';
  const saved = { stream: logTarget.stream, level: logTarget.level };
  const users = {} as Record<Role, { email: string; password: string }>;
  let partner: { email: string; password: string };
  let trendsBatch: string;
  const contexts: BrowserContext[] = [];

  async function pageAs(role: Role | 'partnerOfOrg'): Promise<Page> {
    const context = await newContext(run);
    contexts.push(context);
    const page = await context.newPage();
    await signIn(page, role === 'partnerOfOrg' ? partner : users[role]);
    return page;
  }

  beforeAll(async () => {
    const sink = new PassThrough();
    sink.on('data', (c: Buffer) => (logged += c.toString('utf8')));
    logTarget.stream = sink;
    logTarget.level = 'info';
    app = await createTestApp();
    app.useLogger(app.get(Logger));
    await truncateAll(app);
    await app.get(TaggingService).ensureSeeded();
    await ensureOrg(app, PARTNER_ORG, 'healthwatch');
    partner = { email: 'partner.newcomer@example.org', password: 'correct horse partner battery' };
    await app
      .get(IdentityService, { strict: false })
      .createUser({ ...partner, role: 'partner', organisation: PARTNER_ORG });
    for (const role of ['admin', 'moderator', 'analyst', 'commissioner', 'partner'] as const)
      users[role] = await createPageUser(app, role);
    const res = await upload(app, Buffer.from(trendsCsv()), 'trends.csv', {
      organisation: TEST_ICB,
      title: TRENDS_TITLE,
      sharingLevel: 'system',
    });
    expect(res.status).toBe(202);
    trendsBatch = (res.body as { id: string }).id;
    expect((await waitForBatch(app, trendsBatch)).status).toBe('complete');
    run = await startBrowser(app);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await run?.close();
    await app?.close();
    logTarget.stream = saved.stream;
    logTarget.level = saved.level;
  });

  it('logs a signed-out visit as information, without an error or a stack (item 4)', async () => {
    const context = await newContext(run);
    contexts.push(context);
    const page = await context.newPage();
    logged = '';
    await page.goto('/trends?hcpArea=West+Kent');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    const lines = jsonLines(logged);
    const about = lines.filter((l) => l.path === '/trends');
    expect(about.map((l) => [l.level, l.msg])).toEqual([
      [30, 'Page needs sign-in: redirected to the sign-in page'],
    ]);
    expect(lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
    expect(logged).not.toContain('stack');
  });

  it('asks no other host for anything: fonts, styles and scripts come from the bank (item 5)', async () => {
    const css = await http(app, null).get('/assets/nhsuk/nhsuk-frontend.min.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    expect(css.text).toContain('.nhsuk-header');
    expect(css.text).not.toMatch(/@font-face|https?:\/\//);

    const context = await newContext(run);
    contexts.push(context);
    const page = await context.newPage();
    const elsewhere: string[] = [];
    const refused: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(run.baseUrl) && !r.url().startsWith('data:')) elsewhere.push(r.url());
    });
    page.on('console', (m) => {
      if (/Refused to load|Content Security Policy/i.test(m.text())) refused.push(m.text());
    });
    await signIn(page, users.analyst, '/search');
    for (const path of ['/search?q=appointment', '/trends', `/batches/${trendsBatch}`]) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
    }
    expect(elsewhere).toEqual([]);
    expect(refused).toEqual([]);
  });

  it('returns every month of the trends, empty ones as zeros, and as null for a group (item 13)', async () => {
    const exact = (await http(app, keyOf(app, 'analyst')).get('/api/v1/insights/trends')).body as {
      periods: string[];
      series: Array<{ cells: Array<Array<number | null>>; periodTotals: Array<number | null> }>;
    };
    expect(exact.periods).toHaveLength(30);
    expect(exact.periods.slice(22, 26)).toEqual([
      '2023-11-01',
      '2023-12-01',
      '2024-01-01',
      '2024-02-01',
    ]);
    const january = exact.periods.indexOf('2024-01-01');
    expect(exact.series[0].periodTotals[january]).toBe(0);
    expect(exact.series[0].cells[january].every((n) => n === 0)).toBe(true);
    expect(exact.series[0].periodTotals[january - 1]).toBeGreaterThan(0);

    const group = (
      await http(app, keyOf(app, 'commissioner'))
        .get('/api/v1/insights/trends')
        .query({ ethnicityGroup: 'unknown' })
    ).body as typeof exact;
    expect(group.periods).toEqual(exact.periods);
    expect(group.series[0].periodTotals[january]).toBeNull();
    expect(group.series[0].cells[january].every((n) => n === null)).toBe(true);
  });

  it('keeps the trends page within the window, the table scrolling in its own region (item 13)', async () => {
    // A group's small counts carry visually hidden words ("fewer than 10") in every cell.
    for (const [role, path] of [
      ['analyst', '/trends'],
      ['commissioner', '/trends?ethnicityGroup=unknown'],
    ] as const) {
      const page = await pageAs(role);
      await page.goto(path);
      await page.waitForSelector('table caption');
      expect(await page.locator('thead th').allInnerTexts()).toContain('January 2024');
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect({ role, overflow }).toEqual({ role, overflow: 0 });
      const region = page.locator('.app-table-scroll');
      expect(
        await region.evaluate((el: { scrollWidth: number; clientWidth: number }) => [
          el.scrollWidth > el.clientWidth,
        ]),
      ).toEqual([true]);
      await checkPage(page, `newcomer-trends-${role}`);
    }
  });

  it('tells each role what its counts are, in words, on the search and trends pages (item 14)', async () => {
    for (const role of ['admin', 'moderator', 'analyst'] as const) {
      const page = await pageAs(role);
      await page.goto('/search');
      // textContent: the notes sit in a closed details element.
      const main = (await page.locator('main').textContent()) ?? '';
      expect({ role, exact: main.includes('Your role sees exact counts') }).toEqual({
        role,
        exact: true,
      });
      expect(main).not.toMatch(/\(null\)|withheld|fewer than/);
      await page.goto('/trends?ethnicityGroup=unknown');
      const trends = await page.locator('main').innerText();
      expect({ role, trends: trends.includes('Your role sees exact counts') }).toEqual({
        role,
        trends: true,
      });
      expect(trends).not.toMatch(/\(null\)|adjusted/);
    }
    for (const role of ['commissioner', 'partner'] as const) {
      const page = await pageAs(role);
      await page.goto('/search');
      const main = (await page.locator('main').textContent()) ?? '';
      expect({
        role,
        countsOnly: main.includes('Your role sees these groups as counts only'),
      }).toEqual({ role, countsOnly: true });
      expect(main).toContain('All other counts are exact');
      expect(main).not.toContain('(null)');
      expect(main).not.toContain('Your role sees exact counts');
      await checkPage(page, `newcomer-search-${role}`);
      await page.goto('/trends?ethnicityGroup=unknown');
      const trends = await page.locator('main').innerText();
      expect(trends).toContain('Each count of a group is adjusted by a small fixed amount');
      expect(trends).toContain('fewer than 10');
      expect(trends).not.toContain('(null)');
      expect(trends).not.toContain('Your role sees exact counts');
    }
  });

  it('names organisations and batches in facets and exports (item 15)', async () => {
    const search = (
      await http(app, keyOf(app, 'analyst'))
        .get('/api/v1/insights/search')
        .query({ facets: 'organisation,batch,sourceType' })
    ).body as {
      facets: Record<string, Record<string, number>>;
      facetLabels: Record<string, Record<string, string>>;
    };
    const [orgId] = Object.keys(search.facets.organisation);
    expect(search.facets.organisation[orgId]).toBe(58);
    expect(search.facetLabels).toEqual({
      organisation: { [orgId]: 'Test ICB' },
      batch: { [trendsBatch]: TRENDS_TITLE },
    });

    for (const role of ['analyst', 'commissioner'] as const) {
      const res = await http(app, keyOf(app, role))
        .get('/api/v1/insights/export')
        .query({ format: 'csv', batch: trendsBatch })
        .buffer(true);
      const rows: string[][] = parse(res.text, { bom: true });
      // Named after the columns every role gets; an analyst's export goes on with population groups.
      const names = rows[0].indexOf('organisation_name');
      expect(rows[0].slice(names, names + 2)).toEqual(['organisation_name', 'batch_title']);
      expect(rows).toHaveLength(59);
      expect(new Set(rows.slice(1).map((r) => r.slice(names, names + 2).join('|')))).toEqual(
        new Set([`Test ICB|${TRENDS_TITLE}`]),
      );
    }

    const page = await pageAs('analyst');
    await page.goto('/search');
    expect(await page.locator('#organisation option', { hasText: 'Test ICB' }).count()).toBe(1);
  });

  it('labels each answer of a row on its own for the moderator (item 9)', async () => {
    const key = await keyFor(app, 'partner', PARTNER_ORG);
    const res = await http(app, key)
      .post('/api/v1/batches')
      .field('organisation', PARTNER_ORG)
      .field('sourceType', 'survey')
      .field('title', 'Ward survey')
      .attach('file', Buffer.from(SURVEY_CSV), 'survey.csv');
    expect(res.status).toBe(202);
    const id = (res.body as { id: string }).id;
    expect((await waitForBatch(app, id)).counts.accepted).toBe(3);

    const page = await pageAs('moderator');
    await page.goto(`/moderation/batches/${id}`);
    const headings = await page.locator('.app-item h3').allInnerTexts();
    expect(headings.map((h) => h.trim()).sort()).toEqual(['Row 2', 'Row 2, answer 2', 'Row 3']);
    expect(await page.getByRole('button', { name: 'Approve row 2', exact: true }).count()).toBe(1);
    expect(
      await page.getByRole('button', { name: 'Approve row 2, answer 2', exact: true }).count(),
    ).toBe(1);
    await checkPage(page, 'newcomer-moderation-answers');
  });

  it('brings the batch page up to date by itself when processing ends (items 10 and 12)', async () => {
    const page = await pageAs('partnerOfOrg');
    await page.goto('/upload');
    await page.locator('input[type=file]#file').setInputFiles({
      name: 'ward-cards.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(watchedCsv()),
    });
    await page.getByLabel('Source type').selectOption('roadshow');
    await page.getByLabel('Title', { exact: true }).fill('Ward cards');
    await Promise.all([
      page.waitForURL(/\/batches\/[0-9a-f-]{36}$/),
      page.getByRole('button', { name: 'Upload', exact: true }).click(),
    ]);
    const first = await page.locator('#batch-progress').getAttribute('data-status');
    expect(['received', 'parsing', 'enriching', 'indexing']).toContain(first);
    await page.evaluate('window.__samePage = true');
    await page
      .locator('[data-batch-field="phase"]', { hasText: /^Complete$/ })
      .waitFor({ timeout: 480_000 });
    await page.locator('#batch-progress[data-sections-refreshed="true"]').waitFor();
    expect(await page.evaluate('window.__samePage === true')).toBe(true);

    const check = async (): Promise<void> => {
      const main = await page.locator('main').innerText();
      expect(main).not.toContain('being processed');
      expect(main).not.toContain('Not worked out yet');
      expect(main).toContain('Notes from processing');
      expect(main).toContain('Personal details removed: phone numbers');
      expect(main).toContain('Rows rejected: the comment was empty');
      expect(main).not.toMatch(/Redacted:|Unrecognised:|[a-z]+_[a-z]+:/);
      const columns = page.locator('#batch-columns');
      expect(await columns.locator('tbody tr').allInnerTexts()).toEqual([
        'row_index\tReference (row id)',
        'comment\tComment',
        'date\tDate',
      ]);
      expect(await columns.locator('[data-batch-unmapped]').innerText()).toContain('ward colour');
      expect(await columns.innerText()).toContain('No postcode column');
      expect(await columns.innerText()).not.toContain('No reference column');
    };
    expect(await page.locator('[data-batch-field="announce"]').innerText()).toMatch(
      /^Complete: 1,001 comments accepted, 1 row rejected, 0 duplicates\.$/,
    );
    await check();
    await checkPage(page, 'newcomer-batch-complete');
    await page.reload();
    await check();
  });
});
