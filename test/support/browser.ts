import type { INestApplication } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { IdentityService } from '../../src/access/identity.service';
import type { Role } from '../../src/access/permissions';
import { TEST_ICB } from './auth';

export const SCREENSHOT_DIR = path.join(__dirname, '..', '..', 'test-artifacts', 'screenshots');
/** WCAG 2.0, 2.1 and 2.2, levels A and AA. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const AXE_SOURCE = path.join(path.dirname(require.resolve('axe-core')), 'axe.min.js');

/** The bank listening on a free local port, and a fresh headless Chromium. */
export interface BrowserRun {
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1:<free port> and launches Chromium (CHROMIUM_PATH or Debian's), headless,
 * with a fresh profile of its own (Playwright makes and removes a temporary user-data-dir).
 */
export async function startBrowser(app: INestApplication): Promise<BrowserRun> {
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    close: () => browser.close(),
  };
}

/** A fresh browser context (own cookies); `javaScript: false` to check a page works without it. */
export function newContext(
  run: BrowserRun,
  opts: { javaScript?: boolean } = {},
): Promise<BrowserContext> {
  return run.browser.newContext({
    baseURL: run.baseUrl,
    javaScriptEnabled: opts.javaScript ?? true,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
  });
}

/** A user of TEST_ICB with a password, for signing in through the pages. */
export async function createPageUser(
  app: INestApplication,
  role: Role,
  email = `${role}.${Date.now()}@example.nhs.uk`,
): Promise<{ email: string; password: string }> {
  const password = `correct horse ${role} battery`;
  await app
    .get(IdentityService, { strict: false })
    .createUser({ email, role, organisation: TEST_ICB, password });
  return { email, password };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/**
 * Runs axe-core on the page (WCAG 2.x A and AA rules) and returns the serious and critical
 * violations. The script is evaluated rather than added as a tag: the Content-Security-Policy
 * refuses inline scripts, which is the point of having one.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Strings, not functions: this file is compiled without the DOM's types.
  if (!(await page.evaluate<boolean>("'axe' in window")))
    await page.evaluate(fs.readFileSync(AXE_SOURCE, 'utf8'));
  const result = await page.evaluate<unknown>(
    `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} } })`,
  );
  return (result as { violations: AxeViolation[] }).violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
}

/** Readable violations for a failing expectation. */
export function describeViolations(violations: AxeViolation[]): string[] {
  return violations.map(
    (v) =>
      `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** Saves a full-page screenshot as test-artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** How much wider than the window the page is at 320 CSS pixels (WCAG 1.4.10 Reflow): 0 is good. */
export async function overflowAt320(page: Page): Promise<number> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 800 });
  try {
    // The page answers the resize a frame later (the header folds its navigation into a menu).
    await page.evaluate(
      'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))',
    );
    return await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
  } finally {
    if (size) await page.setViewportSize(size);
  }
}

/**
 * Checks the page now shown: no serious or critical axe violations and no sideways scrolling at
 * 320 pixels wide; saves its screenshot.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  expect(describeViolations(await axeViolations(page))).toEqual([]);
  expect(await overflowAt320(page)).toBe(0);
}

/** Signs in through the sign-in page and waits for the page it leads to. */
export async function signIn(
  page: Page,
  user: { email: string; password: string },
  returnTo?: string,
): Promise<void> {
  await page.goto(returnTo ? `/sign-in?returnTo=${encodeURIComponent(returnTo)}` : '/sign-in');
  await page.getByLabel('Email address').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/sign-in')),
    page.getByRole('button', { name: 'Sign in', exact: true }).click(),
  ]);
}
