import type { INestApplication } from '@nestjs/common';
import { QueueEvents } from 'bullmq';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../src/config/config';
import type { AppConfig } from '../../src/config/env.schema';
import { generateCsv } from '../../src/demo/feedback.generator';
import { INDEX_BATCH_SIZE, IndexingService } from '../../src/search/indexing/indexing.service';
import { SearchIndexService } from '../../src/search/indexing/search-index.service';
import { MeiliService } from '../../src/search/meili/meili.service';
import { jobId, QUEUE_NAMES } from '../../src/queues/queue-names';
import { bullConnectionOptions } from '../../src/queues/redis-options';
import { ensureOrg, upload, waitForBatch } from '../support/batches';
import { createTestApp, truncateAll } from '../support/test-app';

/** Enough for two whole index tasks and a remainder. */
const ROWS = 24_000;

async function syntheticFile(): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of generateCsv({ seed: 977, count: ROWS }))
    parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(parts);
}

/**
 * Comments are indexed while their batch is still being enriched: each stored chunk queues a
 * drain that writes whole Meilisearch tasks only, and the drain queued when enrichment ends takes
 * the remainder. Nothing is indexed twice or left out.
 */
describe('Indexing alongside enrichment', () => {
  let app: INestApplication<App>;
  let ds: DataSource;
  const savedSweep = process.env.SWEEP_INTERVAL_MS;

  beforeAll(async () => {
    // No timed sweeps: a sweep drains the whole outbox, which would hide what the drains here do.
    process.env.SWEEP_INTERVAL_MS = '3600000';
    app = await createTestApp();
    ds = app.get(DataSource);
    await truncateAll(app);
    await ensureOrg(app, 'hw-early', 'healthwatch');
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    if (savedSweep === undefined) delete process.env.SWEEP_INTERVAL_MS;
    else process.env.SWEEP_INTERVAL_MS = savedSweep;
  });

  async function outboxSize(): Promise<number> {
    const [r] = await ds.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM index_outbox`);
    return r.n;
  }

  async function documentsInIndex(): Promise<number> {
    const meili = app.get(MeiliService);
    const uid = app.get(SearchIndexService).uid;
    const stats = await meili.request<{ numberOfDocuments: number }>(
      'GET',
      `/indexes/${encodeURIComponent(uid)}/stats`,
    );
    return stats.numberOfDocuments;
  }

  let batchId: string;

  it('writes whole tasks from the outbox while chunks are still arriving, then the rest', async () => {
    const config = app.get<AppConfig>(APP_CONFIG);
    const events = new QueueEvents(QUEUE_NAMES.index, {
      connection: bullConnectionOptions(config.REDIS_URL),
      prefix: config.QUEUE_PREFIX,
    });
    await events.waitUntilReady();
    const early: number[] = [];
    events.on('completed', ({ jobId: id, returnvalue }) => {
      if (id !== jobId('index', 'full-tasks')) return;
      const result = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as {
        upserted: number;
      };
      early.push(result.upserted);
    });

    try {
      const res = await upload(app, await syntheticFile(), 'early.csv', {
        organisation: 'hw-early',
        sharingLevel: 'icb',
      });
      expect(res.status).toBe(202);
      batchId = (res.body as { id: string }).id;
      const done = await waitForBatch(app, batchId, 240_000);
      expect(done.status).toBe('complete');
      expect(done.counts.received).toBe(ROWS);
      expect(done.counts.indexed).toBe(done.counts.accepted);
    } finally {
      await events.close();
    }

    // The chunk-queued drains wrote at least one task, and only whole ones.
    const written = early.reduce((a, b) => a + b, 0);
    expect(written).toBeGreaterThanOrEqual(INDEX_BATCH_SIZE);
    for (const n of early) expect(n % INDEX_BATCH_SIZE).toBe(0);
    expect(await outboxSize()).toBe(0);
    const [{ n: stored }] = await ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM insight WHERE batch_id = $1`,
      [batchId],
    );
    expect(await documentsInIndex()).toBe(stored);
  }, 300_000);

  it('a whole-task drain leaves fewer than a task waiting; a full drain takes them', async () => {
    const indexing = app.get(IndexingService);
    // Distinct comments each time: the drain writes each comment once however often it is queued.
    const requeue = async (n: number, offset: number): Promise<void> => {
      await ds.query(
        `INSERT INTO index_outbox (insight_id, batch_id, operation)
         SELECT id, batch_id, 'upsert' FROM insight WHERE batch_id = $1 ORDER BY id LIMIT $2 OFFSET $3`,
        [batchId, n, offset],
      );
    };

    await requeue(INDEX_BATCH_SIZE - 1, 0);
    expect(await indexing.drain(Number.POSITIVE_INFINITY, { fullTasksOnly: true })).toEqual({
      upserted: 0,
      deleted: 0,
      batches: [],
    });
    expect(await outboxSize()).toBe(INDEX_BATCH_SIZE - 1);

    await requeue(321 + 1, INDEX_BATCH_SIZE - 1);
    // As if the batch were still being parsed and enriched: what a whole-task drain writes shows
    // in its count (once the batch reaches `indexing` the count is worked out from the outbox).
    await ds.query(
      `UPDATE batch SET status = 'enriching', parse_complete = false, indexed = 0 WHERE id = $1`,
      [batchId],
    );
    const whole = await indexing
      .drain(Number.POSITIVE_INFINITY, { fullTasksOnly: true })
      .finally(() =>
        ds.query(`UPDATE batch SET status = 'complete', parse_complete = true WHERE id = $1`, [
          batchId,
        ]),
      );
    expect(whole.upserted).toBe(INDEX_BATCH_SIZE);
    expect(whole.deleted).toBe(0);
    expect(await outboxSize()).toBe(321);
    const [{ indexed }] = await ds.query<Array<{ indexed: number }>>(
      `SELECT indexed FROM batch WHERE id = $1`,
      [batchId],
    );
    expect(indexed).toBe(INDEX_BATCH_SIZE);

    const rest = await indexing.drain();
    expect(rest.upserted).toBe(321);
    expect(await outboxSize()).toBe(0);
    const [{ n: stored }] = await ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM insight WHERE batch_id = $1`,
      [batchId],
    );
    expect(await documentsInIndex()).toBe(stored);
  }, 120_000);
});
