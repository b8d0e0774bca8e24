/**
 * Ingestion throughput: rows/s from upload to stored (and to searchable) through the real
 * pipeline, against a raw PostgreSQL COPY of the same rows measured in the same run.
 *
 *   npm run bench:ingest -- --rows 100000 [--seed 1]
 *
 * Uses the database named by BENCH_DATABASE_URL (default insight_bank_bench on the local server,
 * created if missing and emptied first), the configured Redis and Meilisearch (bundled if
 * MEILI_URL is unset). The work is done by separate worker processes (`--workers N`, default 1),
 * started as production starts them; their peak RSS is read from /proc.
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const ROWS = Number(arg('rows', '100000'));
const SEED = Number(arg('seed', '1'));
const WORKERS = Number(arg('workers', '1'));
/** Extra node flags for the worker processes, default the heap production workers get; e.g. add "--cpu-prof" to profile. */
const WORKER_NODE_ARGS = arg('worker-node-args', '--max-old-space-size=176 --max-semi-space-size=8')
  .split(' ')
  .filter(Boolean);
const DB =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/insight_bank_bench';
process.env.DATABASE_URL = DB;
process.env.QUEUE_PREFIX = `bench-${Date.now().toString(36)}`;
process.env.MEILI_INDEX_PREFIX = `bench_${Date.now().toString(36)}_`;
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';

async function main(): Promise<void> {
  const { ensureDatabase } = await import('../src/database/database-bootstrap');
  const { generateCsv } = await import('../src/demo/feedback.generator');
  const { withContext } = await import('../src/cli/cli-context');
  const { BatchesService } = await import('../src/batches/batches.service');
  const { FileStore } = await import('../src/batches/file-store');
  const { OrganisationsService } = await import('../src/organisations/organisations.service');
  const { DataSource } = await import('typeorm');

  await ensureDatabase(DB);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ib-bench-'));
  const csv = path.join(dir, `feedback-${ROWS}.csv`);
  let t = Date.now();
  await pipeline(generateCsv({ seed: SEED, count: ROWS }), fs.createWriteStream(csv));
  const bytes = fs.statSync(csv).size;
  console.log(
    `Generated ${ROWS} rows (${(bytes / 1e6).toFixed(1)} MB) in ${((Date.now() - t) / 1000).toFixed(1)} s`,
  );

  // The floor: the same file into a plain table by COPY, no parsing, checking or indexing.
  const pg = new Client({ connectionString: DB });
  await pg.connect();
  const header = fs.readFileSync(csv, 'utf8').slice(0, 2000).split('\n')[0].split(',');
  await pg.query('DROP TABLE IF EXISTS bench_copy_floor');
  await pg.query(
    `CREATE UNLOGGED TABLE bench_copy_floor (${header.map((_, i) => `c${i} text`).join(', ')})`,
  );
  t = Date.now();
  await pipeline(
    fs.createReadStream(csv),
    pg.query(copyFrom(`COPY bench_copy_floor FROM STDIN WITH (FORMAT csv, HEADER true)`)),
  );
  const copySeconds = (Date.now() - t) / 1000;
  await pg.query('DROP TABLE bench_copy_floor');
  await pg.end();
  const copyRate = ROWS / copySeconds;
  console.log(`Raw COPY: ${copySeconds.toFixed(2)} s, ${Math.round(copyRate)} rows/s`);

  const workers: ChildProcess[] = [];
  let peakRss = 0;
  const sampler = setInterval(() => {
    for (const w of workers) peakRss = Math.max(peakRss, rssOf(w.pid));
  }, 100);
  await withContext({ withWorkers: false }, async (app) => {
    const ds = app.get(DataSource);
    await ds.query(
      `TRUNCATE index_outbox, rejected_row, insight, batch_chunk, batch, organisation CASCADE`,
    );
    await app.get(OrganisationsService).create({ code: 'bench', name: 'Benchmark', kind: 'other' });
    const { loadConfig } = await import('../src/config/config');
    const config = loadConfig();
    const { MEILI_CONNECTION } = await import('../src/search/meili/meili.service');
    const meili = app.get<{ url: string; masterKey: string }>(MEILI_CONNECTION);
    for (let i = 0; i < WORKERS; i++) {
      const child = spawn(
        process.execPath,
        [
          ...WORKER_NODE_ARGS,
          path.join(__dirname, '..', 'bin', 'insight-bank.js'),
          'start',
          '--role',
          'worker',
        ],
        {
          env: {
            // As production workers run (README, "Running in production").
            MALLOC_ARENA_MAX: '2',
            ...process.env,
            DATABASE_URL: DB,
            QUEUE_PREFIX: config.QUEUE_PREFIX,
            MEILI_INDEX_PREFIX: config.MEILI_INDEX_PREFIX,
            MEILI_URL: meili.url,
            MEILI_MASTER_KEY: meili.masterKey,
          },
          stdio: ['ignore', process.env.BENCH_WORKER_LOGS ? 'inherit' : 'ignore', 'inherit'],
        },
      );
      workers.push(child);
    }
    // Wait until every worker has booted and taken a job, so start-up is not timed.
    const { PipelineQueues } = await import('../src/queues/pipeline-queues');
    const queue = app.get(PipelineQueues).queue('maintenance');
    const seen = new Set<number>();
    const bootDeadline = Date.now() + 120_000;
    while (seen.size < WORKERS && Date.now() < bootDeadline) {
      const job = await queue.add('heartbeat', {}, { removeOnComplete: false });
      for (let i = 0; i < 50; i++) {
        const done = await queue.getJob(job.id!);
        if (done?.returnvalue) {
          seen.add((done.returnvalue as { pid: number }).pid);
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    console.log(`${seen.size} worker process(es) ready`);
    const temp = path.join(app.get(FileStore).incomingDir(), `${randomUUID()}.upload`);
    fs.copyFileSync(csv, temp);
    const svc = app.get(BatchesService);
    const started = Date.now();
    const { id } = await svc.create(
      { organisation: 'bench', sourceType: 'survey', title: 'Benchmark' },
      { path: temp, originalname: 'bench.csv', size: bytes },
    );
    let storedAt = 0;
    for (;;) {
      const b = await svc.get(id);
      if (!storedAt && ['indexing', 'complete', 'partially_failed'].includes(b.status))
        storedAt = Date.now();
      if (['complete', 'failed', 'partially_failed'].includes(b.status)) {
        const done = Date.now();
        const stored = (storedAt - started) / 1000;
        const searchable = (done - started) / 1000;
        const c = b.counts;
        console.log(
          `Pipeline: status ${b.status}; received ${c.received}, accepted ${c.accepted}, rejected ${c.rejected}, duplicates ${c.duplicates}, indexed ${c.indexed}`,
        );
        console.log(
          `Upload → stored in PostgreSQL: ${stored.toFixed(1)} s, ${Math.round(ROWS / stored)} rows/s`,
        );
        console.log(
          `Upload → searchable in Meilisearch: ${searchable.toFixed(1)} s, ${Math.round(ROWS / searchable)} rows/s`,
        );
        console.log(`Ratio to raw COPY (stored): ${(ROWS / stored / copyRate).toFixed(3)}`);
        console.log(
          `Peak RSS of a worker process (${WORKERS} running): ${Math.round(peakRss / 1e6)} MB`,
        );
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  clearInterval(sampler);
  for (const w of workers) w.kill('SIGTERM');
  console.log(
    `Machine: ${os.cpus()[0]?.model ?? 'unknown cpu'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
}

function rssOf(pid: number | undefined): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
