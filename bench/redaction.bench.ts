/**
 * Cost of de-identification per 10,000 comments on one core, and how many names it finds.
 *
 *   npx ts-node --transpile-only bench/redaction.bench.ts
 *
 * Uses the published phase-1 comments when the shared data folder sits beside the repository.
 * Times are CPU time of this process (user + system), so other work on a shared machine moves
 * them less than it moves wall-clock time; the best and the median of 15 runs are printed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { redact } from '../src/enrichment/redaction/redactor';
import { Candidate } from '../src/enrichment/redaction/pii-detectors';
import { findUncuedNames } from '../src/enrichment/redaction/uncued-names';
import { parsePhase1Csv } from '../src/enrichment/tagging/phase1-eval';

const dataFile = path.resolve(__dirname, '../../shared/data/patient-feedback-phase1/text_data.csv');

function cpuMsPer10k(
  texts: string[],
  fn: (text: string) => number,
): { best: number; median: number } {
  let sink = 0;
  for (let i = 0; i < 3; i++) for (const t of texts) sink += fn(t);
  const runs: number[] = [];
  for (let i = 0; i < 15; i++) {
    const start = process.cpuUsage();
    for (const t of texts) sink += fn(t);
    const used = process.cpuUsage(start);
    runs.push(((used.user + used.system) / 1000) * (10_000 / texts.length));
  }
  runs.sort((a, b) => a - b);
  if (sink < 0) console.log(sink);
  return { best: runs[0], median: runs[7] };
}

function main(): void {
  if (!fs.existsSync(dataFile)) {
    console.log(`phase-1 data not found at ${dataFile}`);
    return;
  }
  const all = parsePhase1Csv(fs.readFileSync(dataFile, 'utf8')).map((r) => r.feedback);
  const texts = all.slice(0, 10_000);

  let names = 0;
  const comments = new Set<number>();
  all.forEach((t, i) => {
    const found = redact(t).entities.filter((e) => e.type === 'NAME').length;
    names += found;
    if (found > 0) comments.add(i);
  });
  console.log(`phase-1: ${all.length} comments, ${names} names redacted in ${comments.size}`);

  const print = (label: string, r: { best: number; median: number }): void =>
    console.log(
      `${label.padEnd(36)} ${r.best.toFixed(1)} ms best, ${r.median.toFixed(1)} ms median per 10,000`,
    );
  print(
    'redact',
    cpuMsPer10k(texts, (t) => redact(t).entities.length),
  );
  print(
    'first names with no cue (alone)',
    cpuMsPer10k(texts, (t) => {
      const out: Candidate[] = [];
      findUncuedNames(t, out);
      return out.length;
    }),
  );
}

main();
