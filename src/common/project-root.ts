import * as fs from 'node:fs';
import * as path from 'node:path';

let cached: string | undefined;

/** The folder holding the bank's package.json, whether running from sources or from dist/. */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (
      fs.existsSync(pkg) &&
      (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'insight-bank'
    ) {
      cached = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Cannot find the insight-bank package root');
    dir = parent;
  }
}

/** A file shipped with the product under data/ (reference tables written as facts). */
export function dataFile(...parts: string[]): string {
  return path.join(projectRoot(), 'data', ...parts);
}
