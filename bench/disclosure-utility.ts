/**
 * Utility of the cell key method on real comments: the published phase-1 comments (read in place
 * beside the repository) with the demo generator's synthetic places, dates and demographics, and
 * their own category label as the theme. Every cell of a population group crossed with nothing,
 * a theme, an HCP area, a quarter and a theme × HCP area is counted exactly and as published, and
 * the error of the published counts is reported for cells of at least the threshold.
 *
 *   npm run bench:disclosure [-- --seed 1 --threshold 10]
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { generateFeedback } from '../src/demo/feedback.generator';
import { SeededRandom } from '../src/demo/seeded-random';
import { normaliseDemographics } from '../src/enrichment/demographics/demographics';
import { loadPlaceHierarchy } from '../src/enrichment/places/place-hierarchy';
import { PlaceResolver } from '../src/enrichment/places/place-resolver';
import { DEMOGRAPHIC_FIELDS, storedValue } from '../src/insights/insight-fields';
import {
  keyPart,
  publishCount,
  RECORD_KEY_RANGE,
  type KeyedCount,
} from '../src/search/query/disclosure';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const SEED = Number(arg('seed', '1'));
const THRESHOLD = Number(arg('threshold', '10'));
const TEXT_FILE = path.resolve(
  __dirname,
  '..',
  '..',
  'shared',
  'data',
  'patient-feedback-phase1',
  'text_data.csv',
);

/** The population groups a cell can be split by: the search index's demographic attributes. */
const DEMOGRAPHICS = DEMOGRAPHIC_FIELDS;

interface Record_ {
  key: number;
  theme: string;
  hcp: string;
  quarter: string;
  groups: Record<(typeof DEMOGRAPHICS)[number], string>;
}

function main(): void {
  if (!fs.existsSync(TEXT_FILE)) {
    console.error(`The published phase-1 comments are needed beside the repository: ${TEXT_FILE}`);
    process.exit(1);
  }
  const source = parse<Record<string, string>>(fs.readFileSync(TEXT_FILE), {
    columns: true,
    skip_empty_lines: true,
    relax_column_count: true,
  }).filter((r) => (r.feedback ?? '').trim() !== '');
  const rows = [
    ...generateFeedback({
      seed: SEED,
      count: source.length,
      textSource: source.map((r) => r.feedback),
    }),
  ];
  const resolver = new PlaceResolver(loadPlaceHierarchy());
  const random = new SeededRandom(SEED * 104_729 + 3);
  const records: Record_[] = rows.map((row, i) => {
    const place = resolver.resolve({ postcode: row.postcode, service: row.service });
    const d = normaliseDemographics({
      age: row['age band'],
      sex: row.sex,
      gender: row.gender,
      ethnicity: row.ethnicity,
      disability: row.disability,
      carer: row.carer,
      sexuality: row['sexual orientation'],
      religion: row.religion,
      referenceYear: 2025,
    });
    const date = row.date ?? '';
    const quarter = /^\d{4}-\d{2}/.test(date)
      ? `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`
      : 'none';
    return {
      key: random.below(RECORD_KEY_RANGE),
      theme: source[i].label || 'none',
      hcp: place.hcpArea ?? 'none',
      quarter,
      groups: Object.fromEntries(
        DEMOGRAPHICS.map((field) => [field, String(storedValue(field, d))]),
      ) as Record_['groups'],
    };
  });

  const crossings: Array<[string, (r: Record_) => string]> = [
    ['group', () => ''],
    ['group × theme', (r) => r.theme],
    ['group × HCP area', (r) => r.hcp],
    ['group × quarter', (r) => r.quarter],
    ['group × theme × HCP area', (r) => `${r.theme}|${r.hcp}`],
  ];
  console.log(
    `${records.length} comments (published phase-1 texts, synthetic demographics, seed ${SEED}), threshold ${THRESHOLD}\n`,
  );
  console.log(
    '| cells | of ≥ threshold | mean abs. error | worst | unchanged | mean relative error | ≥ threshold shown as fewer | below threshold shown as a number |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  const all: Array<{ n: number; p: number | null }> = [];
  for (const [name, by] of crossings) {
    const cells = new Map<string, KeyedCount>();
    for (const r of records) {
      for (const d of DEMOGRAPHICS) {
        const id = `${d}=${r.groups[d]}|${by(r)}`;
        const c = cells.get(id) ?? { count: 0, keySum: 0 };
        cells.set(id, { count: c.count + 1, keySum: c.keySum + keyPart(r.key) });
      }
    }
    const out = [...cells.values()].map((c) => ({ n: c.count, p: publishCount(c, THRESHOLD) }));
    all.push(...out);
    report(name, out);
  }
  report('all of the above', all);
}

function report(name: string, cells: Array<{ n: number; p: number | null }>): void {
  const big = cells.filter((c) => c.n >= THRESHOLD);
  const shown = big.filter((c) => c.p !== null) as Array<{ n: number; p: number }>;
  const errors = shown.map((c) => Math.abs(c.p - c.n));
  const mean = errors.reduce((a, b) => a + b, 0) / Math.max(1, errors.length);
  const worst = Math.max(0, ...errors);
  const unchanged = errors.filter((e) => e === 0).length / Math.max(1, errors.length);
  const relative =
    shown.reduce((a, c) => a + Math.abs(c.p - c.n) / c.n, 0) / Math.max(1, shown.length);
  const hiddenBig = big.length - shown.length;
  const small = cells.filter((c) => c.n > 0 && c.n < THRESHOLD);
  const smallShown = small.filter((c) => c.p !== null).length;
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  console.log(
    `| ${name} (${cells.length}) | ${big.length} | ${mean.toFixed(2)} | ${worst} | ${pct(unchanged)} | ${pct(relative)} | ${hiddenBig} (${pct(hiddenBig / Math.max(1, big.length))}) | ${smallShown} of ${small.length} |`,
  );
}

main();
