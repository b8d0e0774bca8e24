import type { INestApplication } from '@nestjs/common';
import type { Page } from 'playwright-core';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { IdentityService } from '../../src/access/identity.service';
import { TaggingService } from '../../src/enrichment/tagging/tagging.service';
import { http, keyOf } from '../support/auth';
import { ensureOrg, type BatchBody } from '../support/batches';
import {
  checkPage,
  createPageUser,
  newContext,
  signIn,
  startBrowser,
  type BrowserRun,
} from '../support/browser';
import { createTestApp, truncateAll } from '../support/test-app';

jest.setTimeout(300_000);

const PARTNER_ORG = 'hw-web-partner';
const TITLE = 'Community listening, autumn';

const SERVICES = ['GP surgery', 'hospital', 'pharmacy', 'dentist', 'walk-in centre'];
const EXPERIENCES = [
  'I waited three weeks for an appointment',
  'the staff were kind and explained everything',
  'there was nowhere to park near the entrance',
  'the bus only runs twice a day so I missed my slot',
  'the receptionist was rude on the phone',
];

/**
 * About a thousand comments over six months, so processing takes long enough to watch, with a
 * phone number (redacted), a safeguarding phrase, two empty comments (rejected), a repeat
 * (a duplicate) and a religion the bank cannot place (listed on the batch page).
 */
function feedbackCsv(): string {
  const rows = ['reference,comment,date,postcode,religion'];
  for (let i = 1; i <= 1000; i++) {
    const service = SERVICES[i % SERVICES.length];
    const experience = EXPERIENCES[Math.floor(i / SERVICES.length) % EXPERIENCES.length];
    const month = String(1 + (i % 6)).padStart(2, '0');
    const religion = i === 7 ? 'Jedi' : '';
    rows.push(
      `r-${i},At the ${service} ${experience} (visit ${i}),2024-${month}-10,ME14 5FY,${religion}`,
    );
  }
  rows.push('pii-1,Please call me on 07700 900123 about my appointment,2024-03-12,CT1 2AB,');
  rows.push('sg-1,My partner hit me last week and I did not know who to tell,2024-03-13,DA1 1AA,');
  rows.push('empty-1,,2024-03-14,DA1 1AA,');
  rows.push('empty-2,   ,2024-03-14,DA1 1AA,');
  // The same reference again: a repeat of the first row.
  rows.push(
    'r-1,At the hospital I waited three weeks for an appointment (visit 1),2024-02-10,ME14 5FY,',
  );
  return rows.join('\n');
}

const SMALL_CSV = [
  'reference,comment,date,postcode',
  'a-1,The pharmacy ran out of my medication again,2024-04-01,ME7 1AA',
  'a-2,The ward was clean and quiet,2024-04-02,ME7 1AA',
  'a-3,,2024-04-03,ME7 1AA',
].join('\n');

/** The text of a batch page's live field. */
function batchField(page: Page, name: string): Promise<string> {
  return page
    .locator(`[data-batch-field="${name}"]`)
    .first()
    .innerText()
    .then((t) => t.trim());
}

describe('upload, batches, moderation, trends and themes in a real browser', () => {
  let app: INestApplication<App>;
  let run: BrowserRun;
  let partner: { email: string; password: string };
  let moderator: { email: string; password: string };
  let partnerPage: Page;
  let moderatorPage: Page;
  let batchId: string;

  beforeAll(async () => {
    app = await createTestApp();
    await truncateAll(app);
    await app.get(TaggingService).ensureSeeded();
    // A partner of an organisation that is not trusted: its uploads wait for a moderator.
    await ensureOrg(app, PARTNER_ORG, 'healthwatch');
    partner = { email: 'partner.web@example.org', password: 'correct horse partner battery' };
    await app
      .get(IdentityService, { strict: false })
      .createUser({ ...partner, role: 'partner', organisation: PARTNER_ORG });
    moderator = await createPageUser(app, 'moderator');
    run = await startBrowser(app);
    partnerPage = await (await newContext(run)).newPage();
    moderatorPage = await (await newContext(run)).newPage();
  });
  afterAll(async () => {
    await run?.close();
    await app?.close();
  });

  it('shows a partner the upload form, and names what is missing', async () => {
    const page = partnerPage;
    await signIn(page, partner, '/upload');
    expect(new URL(page.url()).pathname).toBe('/upload');
    expect(await page.locator('main').innerText()).toContain(`Test ${PARTNER_ORG}`);
    // Partners upload for their own organisation only: no choice is offered.
    expect(await page.locator('#organisation').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'CSV template' }).getAttribute('href')).toBe(
      '/api/v1/batches/template?format=csv',
    );
    await checkPage(page, 'upload');

    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.waitForSelector('.nhsuk-error-summary');
    expect(await page.title()).toBe('Error: Upload feedback – Insight Bank');
    const summary = await page.locator('.nhsuk-error-summary').innerText();
    expect(summary).toContain('Select a file to upload');
    expect(summary).toContain('Select where the feedback comes from');
    expect(summary).toContain('Enter a title');
    expect(
      await page
        .locator('.nhsuk-error-summary a', { hasText: 'Enter a title' })
        .getAttribute('href'),
    ).toBe('#title');
    await checkPage(page, 'upload-error');
  });

  it('uploads a CSV through the page and watches the progress until it is complete', async () => {
    const page = partnerPage;
    await page.goto('/upload');
    await page.locator('input[type=file]#file').setInputFiles({
      name: 'community-listening.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(feedbackCsv()),
    });
    await page.getByLabel('Source type').selectOption('survey');
    await page.getByLabel('Title', { exact: true }).fill(TITLE);
    await page.locator('#collectedFrom-day').fill('1');
    await page.locator('#collectedFrom-month').fill('1');
    await page.locator('#collectedFrom-year').fill('2024');
    await Promise.all([
      page.waitForURL(/\/batches\/[0-9a-f-]{36}$/),
      page.getByRole('button', { name: 'Upload', exact: true }).click(),
    ]);
    batchId = new URL(page.url()).pathname.split('/').pop()!;
    expect(await page.locator('.nhsuk-notification-banner').innerText()).toContain(
      'once a moderator approves the batch',
    );
    // Landed while it is still being processed: the script takes over from here.
    const first = await page.locator('#batch-progress').getAttribute('data-status');
    expect(['received', 'parsing', 'enriching', 'indexing']).toContain(first);
    expect(await page.locator('progress#batch-progress-bar').count()).toBe(1);
    await checkPage(page, 'batch-progress');

    await page.evaluate('window.__samePage = true');
    await page
      .locator('[data-batch-field="phase"]', { hasText: /^Complete$/ })
      .waitFor({ timeout: 240_000 });
    // Updated in place by the script, not by reloading the page.
    expect(await page.evaluate('window.__samePage === true')).toBe(true);
    expect(await page.locator('#batch-progress-bar').getAttribute('value')).toBe('100');
    expect(await batchField(page, 'announce')).toMatch(/^Complete: [\d,]+ comments accepted/);

    const api = (await http(app).get(`/api/v1/batches/${batchId}`)).body as BatchBody & {
      reviewStatus: string;
    };
    expect(api.status).toBe('complete');
    expect(api.reviewStatus).toBe('awaiting_review');
    expect(api.counts.rejected).toBeGreaterThanOrEqual(2);
    expect(api.counts.duplicates).toBeGreaterThanOrEqual(1);
    for (const name of ['received', 'accepted', 'rejected', 'duplicates', 'indexed'] as const)
      expect(await page.locator(`[data-batch-count="${name}"]`).innerText()).toBe(
        api.counts[name].toLocaleString('en-GB'),
      );

    const link = page.getByRole('link', { name: 'Download rejected rows (CSV)' });
    expect(await link.isVisible()).toBe(true);
    const csv = await page.request.get((await link.getAttribute('href'))!);
    expect(csv.status()).toBe(200);
    const text = await csv.text();
    expect(text.split('\n')[0]).toBe('row_number,part,outcome,reason,field,message,duplicate_of');
    expect(text).toContain('duplicate');
    // Swapped in from a fresh copy of the page when processing finished.
    const unplaced = page.locator('[data-batch-unplaced="religion"]');
    expect(await unplaced.innerText()).toMatch(/Jedi\s+1/);
    await checkPage(page, 'batch-complete');
  });

  it('lists the partner’s batches', async () => {
    const page = partnerPage;
    await page.goto('/batches');
    const row = page.locator('tbody tr', { hasText: TITLE });
    expect(await row.count()).toBe(1);
    expect(await row.innerText()).toContain('Waiting for a moderator');
    // Partners see their own organisation's batches only: no organisation filter.
    expect(await page.locator('#organisation').count()).toBe(0);
    await checkPage(page, 'batches');

    await page.getByLabel('Status').selectOption('failed');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/status=failed/);
    expect(await page.locator('main').innerText()).toContain('No batches match these filters');
  });

  it('lets a moderator review the batch: correct a redaction, reject an item, approve the batch', async () => {
    const page = moderatorPage;
    await signIn(page, moderator, '/moderation');
    const row = page.locator('tbody tr', { hasText: TITLE });
    expect(await row.count()).toBe(1);
    await checkPage(page, 'moderation');

    await row.getByRole('link', { name: TITLE }).click();
    await page.waitForURL(`**/moderation/batches/${batchId}`);
    await checkPage(page, 'moderation-batch');

    await page.getByLabel('Show').selectOption('pii');
    await page.getByRole('button', { name: 'Show items' }).click();
    await page.waitForURL(/flag=pii/);
    const item = page.locator('.app-item', { hasText: 'about my appointment' });
    expect(await item.innerText()).toContain('Personal details removed: 1 phone number');
    expect(await item.innerText()).toContain('[PHONE]');
    const heading = (await item.locator('h3').innerText()).trim();

    await item.locator('summary').click();
    await item
      .getByLabel('Corrected comment')
      .fill('Please ring me on 07700 900456 about my appointment');
    await item.getByRole('button', { name: 'Save correction' }).click();
    await page.waitForSelector('.nhsuk-notification-banner--success');
    expect(await page.locator('.nhsuk-notification-banner').innerText()).toContain(
      'removed from the correction again: 1 phone number',
    );
    expect(new URL(page.url()).searchParams.get('flag')).toBe('pii');
    const corrected = page.locator('.app-item', { hasText: 'Please ring me on' });
    expect(await corrected.locator('.app-item__text').innerText()).toBe(
      'Please ring me on [PHONE] about my appointment',
    );
    await checkPage(page, 'moderation-corrected');

    await corrected.getByRole('button', { name: `Reject ${heading.toLowerCase()}` }).click();
    await page.waitForSelector('.nhsuk-notification-banner--success');
    expect(await page.locator('.nhsuk-notification-banner').innerText()).toContain('Item rejected');
    expect(await page.locator('.app-item', { hasText: 'Please ring me on' }).innerText()).toContain(
      'Rejected',
    );

    await page.getByRole('button', { name: 'Approve batch' }).click();
    await page.waitForURL(/\/moderation$/);
    expect(await page.locator('.nhsuk-notification-banner').innerText()).toMatch(
      /Batch approved[\s\S]*items approved/,
    );
    expect(await page.locator('tbody tr', { hasText: TITLE }).count()).toBe(0);
    await checkPage(page, 'moderation-approved');

    const api = (await http(app).get(`/api/v1/batches/${batchId}`)).body as {
      reviewStatus: string;
    };
    expect(api.reviewStatus).toBe('approved');
    const audit = await app
      .get(DataSource)
      .query<Array<{ action: string }>>(
        `SELECT action FROM audit_event WHERE action IN ('batch.upload', 'batch.approve', 'insight.reject', 'insights.redaction_edit') ORDER BY action`,
      );
    expect(audit.map((a) => a.action)).toEqual([
      'batch.approve',
      'batch.upload',
      'insight.reject',
      'insights.redaction_edit',
    ]);
  });

  it('lists safeguarding flags with the phrase marked', async () => {
    const page = moderatorPage;
    await page.goto('/moderation/safeguarding');
    const item = page.locator('.app-item', { hasText: 'did not know who to tell' });
    expect(await item.count()).toBe(1);
    expect(await item.innerText()).toContain('physical abuse');
    expect(await item.locator('mark').first().innerText()).toContain('hit me');
    await checkPage(page, 'safeguarding');
  });

  it('clears a safeguarding flag once a reason is given', async () => {
    const page = moderatorPage;
    await page.goto('/moderation/safeguarding');
    const item = () => page.locator('.app-item', { hasText: 'did not know who to tell' });
    await item().getByRole('button', { name: 'Clear flag' }).click();
    await page.waitForSelector('.nhsuk-error-summary');
    expect(await page.locator('.nhsuk-error-summary').innerText()).toContain(
      'Say how the concern was dealt with',
    );
    await checkPage(page, 'safeguarding-error');

    await item()
      .getByLabel('How the concern was dealt with')
      .fill('Passed to the safeguarding lead on 07700 900321 the same day');
    await item().getByRole('button', { name: 'Clear flag' }).click();
    await page.waitForSelector('.nhsuk-notification-banner--success');
    expect(await page.locator('.nhsuk-notification-banner').innerText()).toContain(
      'Safeguarding flag cleared',
    );
    expect(await item().count()).toBe(0);
    const [row] = await app
      .get(DataSource)
      .query<Array<{ details: { reason: string } }>>(
        `SELECT details FROM audit_event WHERE action = 'insight.safeguarding_clear' ORDER BY id DESC LIMIT 1`,
      );
    expect(row.details.reason).toBe('Passed to the safeguarding lead on [PHONE] the same day');
  });

  it('shows the trends table with the API’s figures, and draws the chart from it', async () => {
    const page = moderatorPage;
    await page.goto('/trends');
    await page.waitForSelector('figure.app-chart:not([hidden]) canvas');
    const api = (await http(app, keyOf(app, 'moderator')).get('/api/v1/insights/trends')).body as {
      periods: string[];
      themes: Array<{ code: string }>;
      series: Array<{ cells: Array<Array<number | null>>; themeTotals: Array<number | null> }>;
    };
    expect(api.periods.length).toBeGreaterThanOrEqual(6);
    // The theme with most comments, in its busiest month.
    const totals = api.series[0].themeTotals.map((n) => n ?? 0);
    const t = totals.indexOf(Math.max(...totals));
    const column = api.series[0].cells.map((row) => row[t] ?? 0);
    const p = column.indexOf(Math.max(...column));
    const cell = page.locator(
      `tr[data-theme="${api.themes[t].code}"] td[data-period="${api.periods[p]}"]`,
    );
    expect(await cell.innerText()).toBe(column[p].toLocaleString('en-GB'));
    expect(await page.locator('table caption').innerText()).toContain(
      'Comments per theme and month',
    );
    await checkPage(page, 'trends');

    await page.getByLabel('Source type').selectOption('roadshow');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/sourceType=roadshow/);
    expect(await page.locator('main').innerText()).toContain(
      'No comments with themes match these filters',
    );
    await checkPage(page, 'trends-filtered');
  });

  it('lets a moderator add a phrase to a theme’s lexicon', async () => {
    const page = moderatorPage;
    await page.goto('/taxonomy');
    await checkPage(page, 'taxonomy');
    await page.getByRole('link', { name: 'Parking', exact: true }).click();
    await page.waitForURL('**/taxonomy/parking');
    await checkPage(page, 'theme');

    const phrases = page.getByLabel('Phrases that find this theme');
    await phrases.fill(`${await phrases.inputValue()}\ndrop-off bay`);
    await page.getByRole('button', { name: 'Save theme' }).click();
    await page.waitForSelector('.nhsuk-notification-banner--success');
    expect(await page.locator('.nhsuk-notification-banner').innerText()).toContain(
      '‘Parking’ was saved',
    );
    expect(await page.getByLabel('Phrases that find this theme').inputValue()).toContain(
      'drop-off bay',
    );
    await checkPage(page, 'theme-saved');
    const theme = (await http(app).get('/api/v1/taxonomy/parking')).body as {
      lexicon: { phrases: string[] };
    };
    expect(theme.lexicon.phrases).toContain('drop-off bay');
    const [change] = await app
      .get(DataSource)
      .query<Array<{ details: { fields: string[] } }>>(
        `SELECT details FROM audit_event WHERE action = 'taxonomy.change' AND target_id = 'parking'`,
      );
    expect(change.details.fields).toEqual(['lexicon']);

    await page.getByLabel('Name', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Save theme' }).click();
    await page.waitForSelector('.nhsuk-error-summary');
    expect(await page.locator('.nhsuk-error-summary').innerText()).toContain('Enter a name');
    await checkPage(page, 'theme-error');
  });

  it('works without JavaScript: upload, then follow the progress by refreshing', async () => {
    const context = await newContext(run, { javaScript: false });
    try {
      const page = await context.newPage();
      await signIn(page, partner, '/upload');
      await page.locator('input[type=file]#file').setInputFiles({
        name: 'pharmacy.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(SMALL_CSV),
      });
      await page.getByLabel('Source type').selectOption('roadshow');
      await page.getByLabel('Title', { exact: true }).fill('Pharmacy cards');
      await Promise.all([
        page.waitForURL(/\/batches\/[0-9a-f-]{36}$/),
        page.getByRole('button', { name: 'Upload', exact: true }).click(),
      ]);
      const deadline = Date.now() + 120_000;
      while (await page.locator('[data-batch-refresh-link]').count()) {
        expect(await page.locator('[data-batch-refresh-note]').innerText()).toContain(
          'refresh it to see the latest progress',
        );
        if (Date.now() > deadline) throw new Error('the batch did not finish');
        await page.waitForTimeout(500);
        await page.locator('[data-batch-refresh-link]').click();
        await page.waitForLoadState();
      }
      expect(await batchField(page, 'phase')).toBe('Complete');
      expect(await page.locator('[data-batch-count="accepted"]').innerText()).toBe('2');
      expect(await page.locator('[data-batch-count="rejected"]').innerText()).toBe('1');
      expect(
        await page.getByRole('link', { name: 'Download rejected rows (CSV)' }).isVisible(),
      ).toBe(true);
    } finally {
      await context.close();
    }
  });
});
