import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import * as nunjucks from 'nunjucks';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SAFE_METHODS } from '../access/csrf';
import { AllExceptionsFilter } from '../common/http-exception.filter';
import { projectRoot } from '../common/project-root';
import { loadConfig } from '../config/config';
import { PageNotFoundFilter } from './web-exception.filter';

/** Assets are named by version (nhsuk-frontend, chart.js) or change only with a release. */
const ASSET_MAX_AGE = '7d';

const ASSET_MAX_AGE_SECONDS = 7 * 24 * 3600;

/**
 * nhsuk-frontend's stylesheet without its `@font-face` rules, which fetch the Frutiger font from
 * assets.nhs.uk: that fails offline and tells a third party who reads which page. The font may
 * not be redistributed, so the pages use the design system's own fallback (Arial, then the
 * system's sans-serif) and every asset comes from the bank itself.
 */
export function selfHostedStylesheet(file: string): string {
  return fs
    .readFileSync(file, 'utf8')
    .replace(/@font-face\s*\{[^}]*\}/g, '')
    .replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, '');
}

export function webDir(...parts: string[]): string {
  return path.join(projectRoot(), 'src', 'web', ...parts);
}

function packageDir(request: string, up: number): string {
  let dir = path.dirname(require.resolve(request));
  for (let i = 0; i < up; i++) dir = path.dirname(dir);
  return dir;
}

/** nhsuk-frontend's dist folder: `nhsuk/components/<name>/macro.njk`, the CSS, JS and images. */
export function nhsukDist(): string {
  return path.join(packageDir('nhsuk-frontend/package.json', 0), 'dist');
}

/** A Nunjucks environment over the bank's views and nhsuk-frontend's macros, escaping by default. */
export function createViewEnvironment(): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([webDir('views'), nhsukDist()], {
      noCache: loadConfig().NODE_ENV === 'development',
    }),
    { autoescape: true, throwOnUndefined: false },
  );
  env.addFilter('number', (n: unknown) => (typeof n === 'number' ? n.toLocaleString('en-GB') : n));
  return env;
}

/**
 * The web pages: Nunjucks views (`res.render('search', model)`), static assets under /assets
 * with long cache headers, and the HTML 404 page for unknown page addresses. Scripts are files
 * only: the Content-Security-Policy allows no inline script.
 */
export function applyWebViews(app: INestApplication): void {
  const express = app as NestExpressApplication;
  const env = createViewEnvironment();
  env.express(express.getHttpAdapter().getInstance());
  express.setViewEngine('njk');
  const dist = nhsukDist();
  const options = { maxAge: ASSET_MAX_AGE, index: false, redirect: false };
  // The stylesheet refers to /assets/images/…; the manifest sits beside the images.
  express.useStaticAssets(path.join(dist, 'nhsuk', 'assets'), { prefix: '/assets', ...options });
  express.useStaticAssets(webDir('public'), { prefix: '/assets/app', ...options });
  const files: Record<string, string> = {
    '/assets/nhsuk/nhsuk-frontend.min.js': path.join(dist, 'nhsuk', 'nhsuk-frontend.min.js'),
    '/assets/chart/chart.umd.min.js': path.join(packageDir('chart.js', 0), 'chart.umd.min.js'),
  };
  const stylesheet = selfHostedStylesheet(path.join(dist, 'nhsuk', 'nhsuk-frontend.min.css'));
  // A middleware rather than routes: these are files, not pages, and carry no access rule.
  express.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path === '/assets/nhsuk/nhsuk-frontend.min.css' && SAFE_METHODS.has(req.method)) {
      res.setHeader('Cache-Control', `public, max-age=${ASSET_MAX_AGE_SECONDS}`);
      res.type('text/css').send(stylesheet);
      return;
    }
    const file = SAFE_METHODS.has(req.method) ? files[req.path] : undefined;
    if (file) res.sendFile(file, { maxAge: ASSET_MAX_AGE });
    else next();
  });
  express.useGlobalFilters(new PageNotFoundFilter(new AllExceptionsFilter()));
}
