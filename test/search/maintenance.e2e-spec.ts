import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { IndexingService } from '../../src/search/indexing/indexing.service';
import { SearchIndexService } from '../../src/search/indexing/search-index.service';
import { SearchAdminService } from '../../src/search/maintenance/search-admin.service';
import { waitForTask } from '../../src/search/index-gateway';
import { MeiliService } from '../../src/search/meili/meili.service';
import { createTestApp, truncateAll } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { ensureOrg } from '../support/batches';
import { csv, get, importBatch, searchOk } from './search-fixtures';

const ROWS = 400;
const PHARMACY = 60;
const root = path.resolve(__dirname, '..', '..');

function file(): Buffer {
  const rows: string[][] = [['reference', 'comment', 'date']];
  for (let i = 0; i < ROWS; i++) {
    const text =
      i < PHARMACY
        ? `Visit ${i}: the pharmacy ran out of my prescription again`
        : `Visit ${i}: the waiting room was warm and the staff were kind`;
    rows.push([`mx-${i}`, text, `2024-0${(i % 9) + 1}-0${(i % 7) + 1}`]);
  }
  return csv(rows);
}

describe('search index maintenance: apply, reindex, reconcile, status', () => {
  let app: INestApplication<App>;
  let admin: SearchAdminService;
  let meili: MeiliService;
  let uid: string;
  let batchId: string;

  beforeAll(async () => {
    app = await createTestApp();
    await truncateAll(app);
    await ensureOrg(app, 'hw-maint', 'healthwatch');
    batchId = await importBatch(app, file(), 'maintenance.csv', {
      organisation: 'hw-maint',
      sourceType: 'survey',
    });
    admin = app.get(SearchAdminService);
    meili = app.get(MeiliService);
    uid = app.get(SearchIndexService).uid;
  }, 300_000);
  afterAll(async () => {
    await app.close();
  });

  async function databaseIds(): Promise<string[]> {
    const rows = await app
      .get(DataSource)
      .query<Array<{ id: string }>>(`SELECT id FROM insight ORDER BY id`);
    return rows.map((r) => r.id);
  }

  async function indexIds(): Promise<string[]> {
    const res = await meili.request<{ results: Array<{ id: string }> }>(
      'POST',
      `/indexes/${uid}/documents/fetch`,
      { fields: ['id'], limit: 10_000 },
    );
    return res.results.map((d) => d.id).sort();
  }

  async function deleteFromIndex(ids: string[]): Promise<void> {
    await waitForTask(
      meili,
      await meili.request<{ taskUid: number }>(
        'POST',
        `/indexes/${uid}/documents/delete-batch`,
        ids,
      ),
    );
  }

  async function addStray(doc: Record<string, unknown>): Promise<void> {
    await waitForTask(
      meili,
      await meili.request<{ taskUid: number }>('POST', `/indexes/${uid}/documents`, [doc]),
    );
  }

  it('search:apply changes only the settings that differ, and says which', async () => {
    expect((await admin.apply()).changed).toEqual([]);
    await waitForTask(
      meili,
      await meili.request<{ taskUid: number }>('PATCH', `/indexes/${uid}/settings`, {
        stopWords: ['the'],
      }),
    );
    const drifted = await admin.status();
    expect(drifted.settingsInSync).toBe(false);
    expect(drifted.settingsDiffering).toEqual(['stopWords']);
    expect((await admin.apply()).changed).toEqual(['stopWords']);
    expect((await admin.status()).settingsInSync).toBe(true);
  });

  it('search:reindex swaps in a rebuilt index while searches keep answering', async () => {
    const before = await searchOk(app, { q: 'pharmacy', pageSize: 100 });
    expect(before.total).toBe(PHARMACY);
    let done = false;
    let searches = 0;
    const failures: string[] = [];
    const searching = (async () => {
      while (!done) {
        const res = await get(app, '/api/v1/insights/search', { q: 'pharmacy', pageSize: 1 });
        searches += 1;
        if (res.status !== 200) failures.push(`status ${res.status}`);
        else if (res.body.total !== PHARMACY) failures.push(`total ${res.body.total}`);
      }
    })();
    const result = await admin.reindex({ batchSize: 25 }).finally(() => {
      done = true;
    });
    await searching;
    expect(result.documents).toBe(ROWS);
    expect(searches).toBeGreaterThan(10);
    expect(failures).toEqual([]);

    const after = await searchOk(app, { q: 'pharmacy', pageSize: 100 });
    expect(after.hits.map((h) => h.id).sort()).toEqual(before.hits.map((h) => h.id).sort());
    expect(await indexIds()).toEqual(await databaseIds());
    const indexes = await meili.request<{ results: Array<{ uid: string }> }>(
      'GET',
      '/indexes?limit=1000',
    );
    expect(indexes.results.map((i) => i.uid).filter((u) => u.startsWith(uid))).toEqual([uid]);
  });

  it('search:reconcile repairs documents lost from and strayed into the index', async () => {
    const ids = await databaseIds();
    const lost = ids.slice(0, 5);
    await deleteFromIndex(lost);
    const strayInBatch = randomUUID();
    const strayElsewhere = randomUUID();
    await addStray({ id: strayInBatch, text: 'stray', batchId, sharingLevel: 'icb' });
    await addStray({
      id: strayElsewhere,
      text: 'stray',
      batchId: randomUUID(),
      sharingLevel: 'icb',
    });

    const status = await admin.status();
    expect(status.batchesWithDrift).toEqual([{ batchId, database: ROWS, index: ROWS - 5 + 1 }]);
    expect(status.strays).toBe(1);

    const result = await admin.reconcile();
    expect(result.drift).toEqual([
      { batchId, database: ROWS, index: ROWS - 5 + 1, missing: 5, extra: 1 },
    ]);
    expect(result.strays).toBe(1);
    expect(await indexIds()).toEqual(ids);
    const clean = await admin.status();
    expect(clean.batchesWithDrift).toEqual([]);
    expect(clean.strays).toBe(0);
    expect(clean.outboxBacklog).toBe(0);
    expect((await admin.reconcile()).drift).toEqual([]);
  });

  it('the CLI reconciles and reports status', async () => {
    const ids = await databaseIds();
    await deleteFromIndex(ids.slice(10, 13));
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
    delete env.JEST_WORKER_ID;
    const run = (args: string[]) =>
      spawnSync(process.execPath, [path.join(root, 'bin', 'insight-bank.js'), ...args], {
        cwd: root,
        env,
        encoding: 'utf8',
        timeout: 300_000,
      });
    const status = run(['search:status']);
    expect(status.status).toBe(0);
    expect(status.stdout).toContain(
      `batch ${batchId}: ${ROWS} in PostgreSQL, ${ROWS - 3} in the index`,
    );
    const r = run(['search:reconcile']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Repaired: 3 indexed, 0 deleted.');
    expect(await indexIds()).toEqual(ids);
    const again = run(['search:status', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({
      index: uid,
      documents: ROWS,
      settingsInSync: true,
      batchesWithDrift: [],
    });
  }, 600_000);

  it('indexes again, from the next process, documents written before a field joined them', async () => {
    // Documents as an older bank wrote them: without a population group the catalogue now has.
    const stale = await meili.request<{ results: Array<Record<string, unknown>> }>(
      'POST',
      `/indexes/${uid}/documents/fetch`,
      { limit: 10_000 },
    );
    const older = stale.results.slice(0, 7).map((doc) => {
      const { religion: _religion, religionCells: _cells, ...rest } = doc;
      return rest;
    });
    await waitForTask(
      meili,
      await meili.request<{ taskUid: number }>('POST', `/indexes/${uid}/documents`, older),
    );
    const lacking = async (): Promise<number> =>
      (
        await meili.request<{ totalHits: number }>('POST', `/indexes/${uid}/search`, {
          q: '',
          filter: 'religion NOT EXISTS OR religionCells NOT EXISTS',
          hitsPerPage: 0,
          page: 1,
        })
      ).totalHits;
    expect(await lacking()).toBe(7);

    const next = await createTestApp('api');
    try {
      await next.get(SearchIndexService).ensureReady();
    } finally {
      await next.close();
    }
    // What the index job, started by the sweeper, does (the sweeper may be at it already).
    await app.get(IndexingService).drain();
    await waitFor('the documents to be indexed again', async () => (await lacking()) === 0);
    const religion = await searchOk(app, { facets: 'religion', pageSize: 1 }, 'analyst');
    expect(religion.facets.religion).toEqual({ unknown: ROWS });
    expect(await indexIds()).toEqual(await databaseIds());
  }, 300_000);
});
