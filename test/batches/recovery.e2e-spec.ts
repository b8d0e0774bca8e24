import { http } from '../support/auth';
import type { INestApplication } from '@nestjs/common';
import Redis from 'ioredis';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { DisposableRedis, freePort } from '../support/redis-server';
import { createTestApp, truncateAll } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { ensureOrg, upload, waitForBatch, type BatchBody } from '../support/batches';
import { WorkerProcess } from '../support/worker-process';

const ROWS = 30000;

/** A synthetic file with known placeholders (every 97th row) and repeats (every 101st row repeats row 1). */
function feedbackCsv(): Buffer {
  const topics = [
    'waiting for a GP appointment',
    'parking at the hospital',
    'kind reception staff',
    'the 111 call',
    'discharge letters',
    'mental health support',
  ];
  const towns = ['Gravesend', 'Margate', 'Chatham', 'Ashford', 'Dover', 'Sevenoaks'];
  const lines = ['reference,comment,date'];
  for (let i = 1; i <= ROWS; i++) {
    let text = `Comment ${i}: my experience of ${topics[i % topics.length]} in ${towns[i % towns.length]} was ${i % 3 ? 'poor' : 'good'}`;
    if (i % 97 === 0) text = 'N/A';
    lines.push(`,"${text}",${String((i % 28) + 1).padStart(2, '0')}/03/2024`);
  }
  // repeats: byte-for-byte copies of earlier rows
  for (let i = 1; i <= 50; i++) lines.push(lines[i * 101]);
  return Buffer.from(lines.join('\n') + '\n');
}
const PLACEHOLDERS = Math.floor(ROWS / 97);
const REPEATS = 50;

/**
 * What was stored, comment by comment. The row number is left out: of two identical rows the one
 * stored first is kept and the other counted as a duplicate, and after a crash or a Redis flush
 * the chunks may be enriched in another order, so which of the two rows survives can change; the
 * comments, their count and their tags cannot.
 */
async function snapshot(app: INestApplication, batchId: string): Promise<string[]> {
  const rows = await app
    .get(DataSource)
    .query<Array<{ k: string }>>(
      `SELECT part || '|' || text || '|' || coalesce(sentiment, '') || '|' || array_to_string(theme_codes, ';') AS k FROM insight WHERE batch_id = $1 ORDER BY 1`,
      [batchId],
    );
  return rows.map((r) => r.k);
}

function expectExact(b: BatchBody): void {
  expect(b.status).toBe('complete');
  expect(b.counts).toEqual({
    received: ROWS + REPEATS,
    accepted: ROWS - PLACEHOLDERS,
    updated: 0,
    rejected: PLACEHOLDERS,
    duplicates: REPEATS,
    indexed: ROWS - PLACEHOLDERS,
  });
}

describe('recovery: a worker killed mid-batch, and Redis flushed mid-batch', () => {
  let app: INestApplication<App>;
  let redis: DisposableRedis;
  const saved = { ...process.env };
  const file = feedbackCsv();
  let baseline: string[];

  beforeAll(async () => {
    // Its own Redis, so FLUSHALL touches nothing else.
    redis = new DisposableRedis(await freePort());
    await redis.start();
    process.env.REDIS_URL = redis.url;
    process.env.SWEEP_INTERVAL_MS = '1000';
    app = await createTestApp('api'); // no processors here: the work happens in real worker processes
    await truncateAll(app);
    for (const code of ['org-baseline', 'org-killed', 'org-flushed'])
      await ensureOrg(app, code, 'trust');
  });
  afterAll(async () => {
    await app.close();
    await redis.stop();
    process.env = saved;
  });

  const workerEnv = () => ({ REDIS_URL: redis.url, SWEEP_INTERVAL_MS: '1000' });

  it('an uninterrupted run gives the exact counts', async () => {
    const worker = new WorkerProcess(workerEnv());
    worker.start();
    try {
      const res = await upload(app, file, 'big.csv', { organisation: 'org-baseline' });
      expect(res.status).toBe(202);
      const b = await waitForBatch(app, res.body.id, 240000);
      expectExact(b);
      baseline = await snapshot(app, b.id);
    } finally {
      await worker.kill('SIGTERM');
    }
  }, 300000);

  it('SIGKILL of the worker mid-batch, then a restart, ends the same, with no duplicates', async () => {
    let worker = new WorkerProcess(workerEnv());
    worker.start();
    const res = await upload(app, file, 'big.csv', { organisation: 'org-killed' });
    const id = (res.body as { id: string }).id;
    await waitFor(
      'work to be under way',
      async () => {
        const b = (await http(app).get(`/api/v1/batches/${id}`)).body as BatchBody & {
          progress: { chunksDone: number };
        };
        return b.progress.rowsRead > 0 || b.progress.chunksDone > 0 || undefined;
      },
      120000,
      50,
    );
    await worker.kill('SIGKILL');
    const mid = (await http(app).get(`/api/v1/batches/${id}`)).body as BatchBody;
    expect(['received', 'parsing', 'enriching', 'indexing']).toContain(mid.status);

    worker = new WorkerProcess(workerEnv());
    worker.start();
    try {
      const b = await waitForBatch(app, id, 240000);
      expectExact(b);
      expect(await snapshot(app, id)).toEqual(baseline);
    } finally {
      await worker.kill('SIGTERM');
    }
  }, 300000);

  it('FLUSHALL on Redis mid-batch still ends complete with the same counts', async () => {
    const worker = new WorkerProcess(workerEnv());
    worker.start();
    try {
      const res = await upload(app, file, 'big.csv', { organisation: 'org-flushed' });
      const id = (res.body as { id: string }).id;
      await waitFor(
        'work to be under way',
        async () => {
          const b = (await http(app).get(`/api/v1/batches/${id}`)).body as BatchBody & {
            progress: { chunksDone: number };
          };
          return b.progress.chunksDone > 0 || undefined;
        },
        120000,
        50,
      );
      const r = new Redis(redis.url);
      await r.flushall();
      r.disconnect();
      const b = await waitForBatch(app, id, 240000);
      expectExact(b);
      expect(await snapshot(app, id)).toEqual(baseline);
    } finally {
      await worker.kill('SIGTERM');
    }
  }, 300000);
});
