import { http } from '../support/auth';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { generateCsv } from '../../src/demo/feedback.generator';
import { SearchIndexService } from '../../src/search/indexing/search-index.service';
import { SearchAdminService } from '../../src/search/maintenance/search-admin.service';
import { ensureMeilisearch, type MeiliConnection } from '../../src/search/meili/meili-launcher';
import { MeiliService } from '../../src/search/meili/meili.service';
import { quoteValue } from '../../src/common/meili-literal';
import { ensureOrg, upload, waitForBatch, type BatchBody } from '../support/batches';
import { freePort } from '../support/redis-server';
import { createTestApp, truncateAll } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/** Two index rounds of 10,000 documents, so the index is part-filled while the batch is still indexing. */
const ROWS = 20_000;
const ID_PAGE = 5_000;
const OUTAGE_MS = 3_000;

async function syntheticFile(): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of generateCsv({ seed: 4242, count: ROWS }))
    parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(parts);
}

interface Health {
  status: string;
  error?: Record<string, { status: string }>;
  info?: Record<string, { status: string }>;
}

/**
 * Meilisearch goes away in the middle of indexing a batch and comes back. The bank must lose
 * nothing: the index job fails and is retried, the batch completes once Meilisearch is back, and
 * PostgreSQL and the index then hold exactly the same comments for the batch.
 */
describe('Meilisearch stopped during an import, started again, then reconciled', () => {
  let app: INestApplication<App>;
  let conn: MeiliConnection;
  let meili: MeiliService;
  let uid: string;
  let dataDir: string;
  let port: number;
  const saved = {
    MEILI_URL: process.env.MEILI_URL,
    MEILI_MASTER_KEY: process.env.MEILI_MASTER_KEY,
    MEILI_INDEX_PREFIX: process.env.MEILI_INDEX_PREFIX,
    SWEEP_INTERVAL_MS: process.env.SWEEP_INTERVAL_MS,
  };

  beforeAll(async () => {
    // A Meilisearch of this suite's own: stopping the shared one would break suites running beside it.
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'insight-bank-meili-outage-'));
    port = await freePort();
    conn = await ensureMeilisearch({ dataDir, port, startTimeoutMs: 60_000 });
    process.env.MEILI_URL = conn.url;
    process.env.MEILI_MASTER_KEY = conn.masterKey;
    process.env.MEILI_INDEX_PREFIX = `${saved.MEILI_INDEX_PREFIX ?? ''}outage_`;
    // No timed sweeps: the recovery proven here is the index job's own retries, and a sweep
    // draining the outbox while rows are still enriching would leave nothing to interrupt.
    process.env.SWEEP_INTERVAL_MS = '3600000';
    app = await createTestApp();
    meili = app.get(MeiliService);
    const index = app.get(SearchIndexService);
    uid = index.uid;
    // The fresh Meilisearch has no index yet; make it before anything empties it.
    await index.ensureReady();
    await truncateAll(app);
    await ensureOrg(app, 'hw-outage', 'healthwatch');
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await conn?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }, 60_000);

  async function batch(id: string): Promise<BatchBody> {
    return (await http(app).get(`/api/v1/batches/${id}`)).body as BatchBody;
  }

  async function health(): Promise<{ code: number; body: Health }> {
    const res = await http(app).get('/health');
    return { code: res.status, body: res.body as Health };
  }

  async function indexIds(batchId: string): Promise<string[]> {
    const ids: string[] = [];
    for (let offset = 0; ; offset += ID_PAGE) {
      const page = await meili.request<{ results: Array<{ id: string }> }>(
        'POST',
        `/indexes/${encodeURIComponent(uid)}/documents/fetch`,
        { filter: `batchId = ${quoteValue(batchId)}`, fields: ['id'], limit: ID_PAGE, offset },
        60_000,
      );
      ids.push(...page.results.map((d) => d.id));
      if (page.results.length < ID_PAGE) return ids.sort();
    }
  }

  async function databaseIds(batchId: string): Promise<string[]> {
    const rows = await app
      .get(DataSource)
      .query<Array<{ id: string }>>(`SELECT id FROM insight WHERE batch_id = $1 ORDER BY id`, [
        batchId,
      ]);
    return rows.map((r) => r.id).sort();
  }

  async function documentsInIndex(): Promise<number> {
    const stats = await meili.request<{ numberOfDocuments: number }>(
      'GET',
      `/indexes/${encodeURIComponent(uid)}/stats`,
    );
    return stats.numberOfDocuments;
  }

  it('loses no comment, completes the batch after the restart, and reconciles clean', async () => {
    expect((await health()).code).toBe(200);

    const res = await upload(app, await syntheticFile(), 'outage.csv', {
      organisation: 'hw-outage',
      sharingLevel: 'icb',
    });
    expect(res.status).toBe(202);
    const id = (res.body as { id: string }).id;

    const partly = await waitFor(
      'the batch to be indexing with part of it in the index',
      async () => {
        const b = await batch(id);
        if (b.status !== 'indexing') {
          if (['complete', 'failed', 'partially_failed'].includes(b.status))
            throw new Error(`batch reached ${b.status} before it could be interrupted`);
          return undefined;
        }
        const docs = await documentsInIndex().catch(() => 0);
        return docs > 0 || b.counts.indexed > 0 ? { docs, accepted: b.counts.accepted } : undefined;
      },
      150_000,
      50,
    );
    // Stopped part-way: some of the batch is in the index, not all of it.
    expect(partly.docs).toBeGreaterThan(0);
    expect(partly.docs).toBeLessThan(partly.accepted);

    await conn.stop();
    await new Promise((r) => setTimeout(r, OUTAGE_MS));

    const during = await batch(id);
    expect(during.status).toBe('indexing');
    expect(during.counts.indexed).toBeLessThan(during.counts.accepted);
    const down = await health();
    expect(down.code).toBe(503);
    expect(down.body.error?.meilisearch?.status).toBe('down');
    expect(down.body.error?.postgres).toBeUndefined();

    conn = await ensureMeilisearch({ dataDir, port, startTimeoutMs: 60_000 });
    // The bank was configured with this address; the restart must come back on it.
    expect(conn.url).toBe(process.env.MEILI_URL);
    await waitFor('health to report Meilisearch up', async () => (await health()).code === 200);

    const done = await waitForBatch(app, id, 180_000);
    expect(done.status).toBe('complete');
    expect(done.counts.accepted).toBeGreaterThan(ROWS * 0.9);
    expect(done.counts.indexed).toBe(done.counts.accepted);
    expect(done.counts.received).toBe(
      done.counts.accepted + done.counts.rejected + done.counts.duplicates,
    );

    const result = await app.get(SearchAdminService).reconcile();
    // Nothing was lost in the outage, so there is nothing to repair.
    expect(result.drift.filter((d) => d.batchId === id)).toEqual([]);
    expect(result.strays).toBe(0);

    const inDatabase = await databaseIds(id);
    expect(inDatabase).toHaveLength(done.counts.accepted);
    expect(await indexIds(id)).toEqual(inDatabase);
    expect((await batch(id)).counts.indexed).toBe(done.counts.accepted);
  }, 420_000);
});
