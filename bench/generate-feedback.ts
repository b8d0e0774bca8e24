/**
 * Writes a synthetic feedback CSV in the generic upload template's shape and reports the rate.
 *
 *   npx ts-node --transpile-only bench/generate-feedback.ts --rows 100000 --seed 1 --out /tmp/x.csv [--pii]
 *
 * Without --out the CSV goes to standard output; the summary always goes to standard error.
 */
import * as fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Command, InvalidArgumentError } from 'commander';
import { generateCsv, SYNTHETIC_LABEL } from '../src/demo/feedback.generator';

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

interface CliOptions {
  rows: number;
  seed: number;
  out?: string;
  pii: boolean;
  startDate?: string;
  endDate?: string;
}

async function main(): Promise<void> {
  const program = new Command()
    .name('generate-feedback')
    .description(`Write synthetic feedback as CSV (${SYNTHETIC_LABEL}).`)
    .option('--rows <n>', 'number of rows', wholeNumber, 100_000)
    .option('--seed <n>', 'seed; the same seed gives the same file', wholeNumber, 1)
    .option('--out <file>', 'CSV file to write (default: standard output)')
    .option('--pii', 'include fictional identifiers in a small share of rows', false)
    .option('--start-date <yyyy-mm-dd>', 'first feedback date (default 2023-01-01)')
    .option('--end-date <yyyy-mm-dd>', 'last feedback date (default 2025-12-31)')
    .parse();
  const opts = program.opts<CliOptions>();

  const started = process.hrtime.bigint();
  const csv = generateCsv({
    seed: opts.seed,
    count: opts.rows,
    includePii: opts.pii,
    startDate: opts.startDate,
    endDate: opts.endDate,
  });
  let bytes = 0;
  csv.on('data', (chunk: Buffer) => (bytes += chunk.length));
  await pipeline(csv, opts.out ? fs.createWriteStream(opts.out) : process.stdout);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  const rate = Math.round(opts.rows / seconds);
  const heapMb = (process.memoryUsage().heapUsed / 1048576).toFixed(0);
  process.stderr.write(
    `${SYNTHETIC_LABEL}\n` +
      `${opts.rows} rows (seed ${opts.seed}${opts.pii ? ', with fictional identifiers' : ''}) ` +
      `${(bytes / 1048576).toFixed(1)} MB in ${seconds.toFixed(2)} s: ${rate} rows/s, heap ${heapMb} MB` +
      `${opts.out ? ` -> ${opts.out}` : ''}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
