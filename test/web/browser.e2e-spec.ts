import type { INestApplication } from '@nestjs/common';
import type { Page } from 'playwright-core';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { TEST_ICB } from '../support/auth';
import { upload, waitForBatch } from '../support/batches';
import {
  checkPage,
  createPageUser,
  newContext,
  signIn,
  startBrowser,
  type BrowserRun,
} from '../support/browser';
import { createTestApp, truncateAll } from '../support/test-app';

jest.setTimeout(120_000);

/** A few comments in different places; the first is the one the typo search must find. */
const CSV = [
  'reference,comment,question,date,postcode',
  'appt-1,I could not get an appointment at my GP surgery for three weeks,What could be better?,2024-03-01,ME14 5FY',
  'bus-1,The bus to the hospital only runs twice a day so I missed my slot,,2024-03-05,CT1 2AB',
  'ward-1,The nurses on the ward were kind and explained everything,,2024-02-10,DA1 1AA',
  'pharm-1,The pharmacy ran out of my medication again this month,,2024-02-20,ME7 1AA',
].join('\n');

describe('web pages in a real browser', () => {
  let app: INestApplication<App>;
  let run: BrowserRun;
  let page: Page;
  let analyst: { email: string; password: string };
  let insightId: string;

  beforeAll(async () => {
    app = await createTestApp();
    await truncateAll(app);
    // Uploaded as the test ICB, so its analyst sees the comments before anyone approves them.
    const res = await upload(app, Buffer.from(CSV), 'web.csv', {
      organisation: TEST_ICB,
      title: 'Spring listening event',
    });
    expect(res.status).toBe(202);
    const batch = await waitForBatch(app, (res.body as { id: string }).id);
    expect(batch.status).toBe('complete');
    const [row] = await app
      .get(DataSource)
      .query<Array<{ id: string }>>(
        `SELECT id FROM insight WHERE text LIKE '%appointment at my GP%'`,
      );
    insightId = row.id;
    analyst = await createPageUser(app, 'analyst');
    run = await startBrowser(app);
    page = await (await newContext(run)).newPage();
  });
  afterAll(async () => {
    await run?.close();
    await app?.close();
  });

  it('sends a visitor who is not signed in to the sign-in page, then back where they were', async () => {
    await page.goto('/search?q=bus');
    const url = new URL(page.url());
    expect(url.pathname).toBe('/sign-in');
    expect(url.searchParams.get('returnTo')).toBe('/search?q=bus');
    await checkPage(page, 'sign-in');
  });

  it('refuses a wrong password with the error summary, then signs in', async () => {
    await page.getByLabel('Email address').fill(analyst.email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForSelector('.nhsuk-error-summary');
    expect(await page.title()).toMatch(/^Error: Sign in – Insight Bank$/);
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain(
      'Email or password is wrong',
    );
    await checkPage(page, 'sign-in-error');

    await page.getByLabel('Password').fill(analyst.password);
    await Promise.all([
      page.waitForURL(/\/search\?q=bus$/),
      page.getByRole('button', { name: 'Sign in', exact: true }).click(),
    ]);
    expect(await page.locator('.app-result').count()).toBe(1);
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/search');
  });

  it('finds the appointment comment despite a typo, with the match highlighted', async () => {
    await page.goto('/search');
    await page.getByLabel('Search comments').fill('apointment');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/q=apointment/);
    const results = page.locator('.app-result');
    // Best match first; synonyms (a missed slot) may follow.
    expect(await results.first().textContent()).toContain('appointment at my GP surgery');
    expect(await results.first().locator('mark').first().textContent()).toMatch(/^appoint/i);
    expect(await page.title()).toBe('Search – Insight Bank');
    await checkPage(page, 'search');
  });

  it('filters by health and care partnership area, keeping the search in the address', async () => {
    await page.goto('/search');
    const westKent = page.locator('#hcpArea option', { hasText: 'West Kent' });
    expect(await westKent.textContent()).toMatch(/West Kent \(1\)/);
    await page.getByLabel('Health and care partnership area').selectOption('West Kent');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/hcpArea=West\+Kent/);
    const results = page.locator('.app-result');
    expect(await results.count()).toBe(1);
    expect(await results.first().textContent()).toContain('Maidstone');
    await checkPage(page, 'search-filtered');
  });

  it('names a bad parameter in the error summary', async () => {
    const res = await page.goto('/search?dateFrom=2024-02-31');
    expect(res?.status()).toBe(400);
    const summary = page.locator('.nhsuk-error-summary');
    expect(await summary.textContent()).toContain('dateFrom must be a real date');
    expect(await summary.locator('a').first().getAttribute('href')).toBe('#dateFrom');
    await checkPage(page, 'search-error');
  });

  it('opens a comment with its themes, place and where it came from', async () => {
    await page.goto('/search?q=appointment');
    await page.locator('.app-result a').first().click();
    await page.waitForURL(`**/insights/${insightId}`);
    const main = page.locator('main');
    expect(await main.textContent()).toContain('I could not get an appointment at my GP surgery');
    expect(await main.textContent()).toContain('What could be better?');
    expect(await main.textContent()).toContain('Spring listening event');
    expect(await main.textContent()).toContain('Maidstone');
    expect(await page.locator('table tbody tr').count()).toBeGreaterThan(0);
    await checkPage(page, 'insight');
  });

  it('lets a reviewer remove, add and accept themes, with a banner after each', async () => {
    await page.goto(`/insights/${insightId}`);
    const firstTheme = (await page.locator('table tbody .app-theme-name').first().textContent())!;
    await page
      .locator('table tbody tr')
      .first()
      .getByRole('button', { name: `Remove ${firstTheme}` })
      .click();
    await page.waitForSelector('.nhsuk-notification-banner--success');
    expect(await page.locator('.nhsuk-notification-banner').textContent()).toContain(
      `Theme ‘${firstTheme}’ removed`,
    );
    expect(await page.locator('table tbody .app-theme-name').allTextContents()).not.toContain(
      firstTheme,
    );
    await checkPage(page, 'insight-reviewed');

    await page.getByLabel('Add a theme').selectOption({ label: firstTheme });
    await page.getByRole('button', { name: 'Add theme' }).click();
    await page.waitForSelector('.nhsuk-notification-banner--success');
    const row = page.locator('table tbody tr', { hasText: firstTheme });
    expect(await row.textContent()).toContain('Confirmed by a person');

    const ruleRow = page.locator('table tbody tr', { hasText: 'Tagged by a rule' }).first();
    const ruleTheme = (await ruleRow.locator('.app-theme-name').textContent())!;
    await ruleRow.getByRole('button', { name: `Accept ${ruleTheme}` }).click();
    await page.waitForSelector('.nhsuk-notification-banner--success');
    expect(await page.locator('.nhsuk-notification-banner').textContent()).toContain(
      `Theme ‘${ruleTheme}’ accepted`,
    );
    expect(await page.locator('table tbody tr', { hasText: ruleTheme }).textContent()).toContain(
      'Confirmed by a person',
    );

    // Adding without choosing a theme is reported against the control.
    await page.getByRole('button', { name: 'Add theme' }).click();
    await page.waitForSelector('.nhsuk-error-summary');
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain(
      'Select a theme to add',
    );
    await checkPage(page, 'insight-error');
  });

  it('audits what the pages did, like the API: sign-in, searches, views and tag edits', async () => {
    const rows = await app
      .get(DataSource)
      .query<Array<{ action: string; n: number }>>(
        `SELECT action, count(*)::int AS n FROM audit_event WHERE actor = $1 GROUP BY action`,
        [analyst.email],
      );
    const counts = Object.fromEntries(rows.map((r) => [r.action, r.n]));
    expect(counts).toMatchObject({
      'auth.sign_in_failed': 1,
      'auth.sign_in': 1,
      'insights.tag_edit': 3,
    });
    expect(counts['insights.search']).toBeGreaterThanOrEqual(4);
    expect(counts['insights.view']).toBeGreaterThanOrEqual(1);
  });

  it('works without JavaScript: search and open a comment', async () => {
    const context = await newContext(run, { javaScript: false });
    try {
      const plain = await context.newPage();
      await signIn(plain, analyst);
      await plain.goto('/search?q=pharmacy');
      expect(await plain.locator('.app-result').count()).toBe(1);
      await plain.locator('.app-result a').first().click();
      expect(await plain.locator('main').textContent()).toContain('ran out of my medication');
    } finally {
      await context.close();
    }
  });

  it('shows a commissioner population groups as counts, not filters', async () => {
    const commissioner = await createPageUser(app, 'commissioner');
    const context = await newContext(run);
    try {
      const p = await context.newPage();
      await signIn(p, commissioner);
      await p.goto('/search');
      await p.getByText('Demographics').click();
      expect(await p.locator('select#ethnicityGroup').count()).toBe(0);
      const note = await p.locator('#demographic-counts-note').textContent();
      expect(note).toContain('comments cannot be filtered by them');
      // Four comments, no answers given: every group is "fewer than 10", "unknown" included.
      const table = p.locator('#counts-ethnicityGroup');
      expect(await table.locator('caption').textContent()).toContain('Ethnic group');
      expect(await table.locator('tbody tr').count()).toBe(7);
      expect(await table.locator('tbody').textContent()).toContain('fewer than 10');
      await checkPage(p, 'search-commissioner');
      // A demographic filter typed into the address is refused with the reason, on the page.
      const res = await p.goto('/search?ethnicityGroup=black');
      expect(res?.status()).toBe(400);
      expect(await p.locator('.nhsuk-error-summary').textContent()).toContain(
        'available to your role in counts only',
      );
    } finally {
      await context.close();
    }
    await page.goto('/search');
    expect(await page.locator('select#ethnicityGroup').count()).toBe(1);
  });

  it('shows the 404 page for an unknown address', async () => {
    const res = await page.goto('/no-such-page');
    expect(res?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toContain('Page not found');
    // Someone signed in is not asked to sign in again on it.
    expect(await page.locator('header').textContent()).not.toContain('Sign in');
    await checkPage(page, 'not-found');
    // API clients keep their JSON errors, even from a browser.
    const api = await page.request.get('/api/v1/no-such-route', {
      headers: { accept: 'text/html' },
    });
    expect(api.status()).toBe(404);
    expect(await api.json()).toMatchObject({ statusCode: 404, code: 'not_found' });
  });

  it('shows the 403 page when a role lacks the permission', async () => {
    const partner = await createPageUser(app, 'partner');
    const context = await newContext(run);
    try {
      const p = await context.newPage();
      await signIn(p, partner);
      await p.goto(`/insights/${insightId}`);
      // Partners see the comment (their own organisation's) but get no review controls …
      expect(await p.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
      const token = await p.locator('input[name=_csrf]').first().getAttribute('value');
      // … and the review route itself refuses them with a page, not JSON.
      const res = await p.request.post(`/insights/${insightId}/tags`, {
        form: { _csrf: token ?? '', action: 'add', theme: 'staff' },
      });
      expect(res.status()).toBe(403);
      expect(await res.text()).toContain('You do not have permission to see this page');
    } finally {
      await context.close();
    }
  });

  it('signs out', async () => {
    await page.goto('/search');
    await Promise.all([
      page.waitForURL(/\/sign-in\?signedOut=1$/),
      page.getByRole('button', { name: 'Sign out' }).click(),
    ]);
    expect(await page.locator('main').textContent()).toContain('You have signed out');
    await page.goto('/search');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });
});
