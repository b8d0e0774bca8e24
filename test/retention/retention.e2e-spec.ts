import * as fs from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { FileStore } from '../../src/batches/file-store';
import { OrganisationsService } from '../../src/organisations/organisations.service';
import { PipelineQueues } from '../../src/queues/pipeline-queues';
import { JOB_NAMES, QUEUE_NAMES } from '../../src/queues/queue-names';
import {
  RETENTION_SCHEDULER_ID,
  type RetentionReport,
} from '../../src/retention/retention-schedule';
import { RetentionService } from '../../src/retention/retention.service';
import { http, keyFor, keyOf } from '../support/auth';
import { ensureOrg, rowCounts, upload, waitForBatch, type BatchBody } from '../support/batches';
import { createTestApp, truncateAll } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const ORG_A = 'hw-ret-a';
const ORG_B = 'hw-ret-b';
const ORG_TRUSTED = 'hw-ret-trusted';

let seq = 0;
/** A CSV of distinct synthetic comments (a fresh file each call, so no upload is a repeat). */
function comments(n: number, topic = 'parking'): Buffer {
  seq += 1;
  const lines = ['reference,comment'];
  for (let i = 1; i <= n; i++)
    lines.push(`r${seq}-${i},Comment ${seq}-${i} about ${topic} at the hospital was fine`);
  return Buffer.from(lines.join('\n') + '\n', 'utf8');
}

describe('retention and batch deletion', () => {
  let app: INestApplication<App>;
  let ds: DataSource;
  let partnerA: string;
  let partnerB: string;
  let partnerTrusted: string;

  beforeAll(async () => {
    app = (await createTestApp()) as INestApplication<App>;
    await truncateAll(app);
    ds = app.get(DataSource);
    await ensureOrg(app, ORG_A);
    await ensureOrg(app, ORG_B);
    await app
      .get(OrganisationsService)
      .create({ code: ORG_TRUSTED, name: 'Trusted partner', kind: 'healthwatch', trusted: true });
    partnerA = await keyFor(app, 'partner', ORG_A);
    partnerB = await keyFor(app, 'partner', ORG_B);
    partnerTrusted = await keyFor(app, 'partner', ORG_TRUSTED);
  });

  afterAll(async () => {
    await app?.close();
  });

  /** Uploads as a caller (for its own organisation) and waits for the batch to finish. */
  async function uploadAs(key: string, file: Buffer, name: string): Promise<BatchBody> {
    const res = await http(app, key)
      .post('/api/v1/batches')
      .field('sourceType', 'survey')
      .field('title', `Upload of ${name}`)
      .attach('file', file, name);
    expect(res.status).toBe(202);
    return waitForBatch(app, (res.body as { id: string }).id);
  }

  async function uploaded(file: Buffer, name: string, org = ORG_A): Promise<BatchBody> {
    const res = await upload(app, file, name, { organisation: org });
    expect(res.status).toBe(202);
    const batch = await waitForBatch(app, (res.body as { id: string }).id);
    expect(batch.status).toBe('complete');
    return batch;
  }

  /** What search returns for a batch (admin: sees everything). */
  async function searchHits(batchId: string): Promise<number> {
    const res = await http(app).get(`/api/v1/insights/search?batch=${batchId}&pageSize=100`);
    expect(res.status).toBe(200);
    return (res.body as { hits: unknown[] }).hits.length;
  }

  const insightsOf = async (batchId: string): Promise<string[]> =>
    (
      await ds.query<Array<{ id: string }>>(`SELECT id FROM insight WHERE batch_id = $1`, [batchId])
    ).map((r) => r.id);

  async function auditRows(action: string, batchId: string) {
    return ds.query<Array<{ actor: string; actor_type: string; details: Record<string, unknown> }>>(
      `SELECT actor, actor_type, details FROM audit_event WHERE action = $1 AND target_id = $2 ORDER BY id`,
      [action, batchId],
    );
  }

  const batchDir = (batchId: string) => app.get(FileStore).batchDir(batchId);

  async function runExpiryJob(): Promise<RetentionReport> {
    const queue = app.get(PipelineQueues).queue(QUEUE_NAMES.maintenance);
    const job = await queue.add(JOB_NAMES.retention, {}, { jobId: `retention-test-${Date.now()}` });
    const done = await waitFor(
      'the retention job to finish',
      async () => {
        const j = await queue.getJob(job.id!);
        const state = await j?.getState();
        return state === 'completed' || state === 'failed' ? j : undefined;
      },
      60000,
      200,
    );
    expect(await done.getState()).toBe('completed');
    return done.returnvalue as RetentionReport;
  }

  it('keeps a daily retention schedule on the maintenance queue', async () => {
    const scheduler = await app
      .get(PipelineQueues)
      .queue(QUEUE_NAMES.maintenance)
      .getJobScheduler(RETENTION_SCHEDULER_ID);
    expect(scheduler).toMatchObject({ name: JOB_NAMES.retention, every: 24 * 3_600_000 });
  });

  it('the expiry job deletes a batch past its retention date everywhere and keeps a tombstone', async () => {
    const expired = await uploaded(comments(6, 'parking'), 'old-survey.csv');
    const current = await uploaded(comments(3, 'catering'), 'current-survey.csv');
    expect(expired.counts.accepted).toBe(6);
    await waitFor('the index to hold the batch', async () => (await searchHits(expired.id)) === 6);
    const ids = await insightsOf(expired.id);
    await ds.query(
      `INSERT INTO tag_event (insight_id, actor, action, theme_code, before, after) VALUES ($1, 'reviewer@test', 'add', 'parking', '[]', '[]')`,
      [ids[0]],
    );
    // Uploads refuse a retention date in the past, so the test moves it back.
    await ds.query(`UPDATE batch SET retention_until = '2020-01-31' WHERE id = $1`, [expired.id]);

    const dry = await app.get(RetentionService).expire({ dryRun: true });
    expect(dry.batches).toEqual([
      { id: expired.id, organisation: ORG_A, retentionUntil: '2020-01-31', insights: 6 },
    ]);
    expect(await insightsOf(expired.id)).toHaveLength(6);

    const report = await runExpiryJob();
    expect(report.batches).toEqual([
      { id: expired.id, organisation: ORG_A, retentionUntil: '2020-01-31', insights: 6 },
    ]);
    expect(report.failed).toEqual([]);

    // PostgreSQL: the insights, their tag events, rejected rows and chunks are gone.
    expect(await insightsOf(expired.id)).toEqual([]);
    const [{ n: tagEvents }] = await ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM tag_event WHERE insight_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(tagEvents).toBe(0);
    expect(await rowCounts(app, expired.id)).toEqual({ insights: 0, rejected: 0, chunks: 0 });
    expect(fs.existsSync(batchDir(expired.id))).toBe(false);

    // Meilisearch: search no longer finds them; the batch kept finds its own.
    await waitFor('the index to drop the batch', async () => (await searchHits(expired.id)) === 0);
    expect(await searchHits(current.id)).toBe(3);
    expect(await insightsOf(current.id)).toHaveLength(3);

    // The tombstone keeps the record and its counts.
    const tomb = await http(app).get(`/api/v1/batches/${expired.id}`);
    expect(tomb.status).toBe(200);
    expect(tomb.body).toMatchObject({
      status: 'deleted',
      retentionUntil: '2020-01-31',
      counts: { accepted: 6 },
      deletion: { by: 'retention', reason: 'Retention period ended (retention until 2020-01-31)' },
    });

    const audit = await auditRows('retention.expire', expired.id);
    expect(audit).toEqual([
      {
        actor: 'retention',
        actor_type: 'system',
        details: { retentionUntil: '2020-01-31', insightsDeleted: 6 },
      },
    ]);
    expect(await auditRows('batch.upload', expired.id)).toHaveLength(1);

    // A second run finds nothing left to do.
    expect((await runExpiryJob()).batches).toEqual([]);
  });

  it('lists deleted batches only when asked, and only to admins and moderators', async () => {
    const list = async (query: string, key?: string) => {
      const res = await http(app, key ?? keyOf(app)).get(`/api/v1/batches${query}`);
      return res;
    };
    const all = await list('?pageSize=100');
    const statuses = (all.body as { items: Array<{ status: string }> }).items.map((b) => b.status);
    expect(statuses).not.toContain('deleted');
    const deleted = await list('?status=deleted');
    expect(deleted.status).toBe(200);
    expect((deleted.body as { total: number }).total).toBeGreaterThanOrEqual(1);
    const asPartner = await list('?status=deleted', partnerA);
    expect(asPartner.status).toBe(403);
  });

  it('DELETE by an admin removes the batch from PostgreSQL and the index at once', async () => {
    const file = comments(4, 'signage');
    const batch = await uploaded(file, 'to-delete.csv');
    await waitFor('the index to hold the batch', async () => (await searchHits(batch.id)) === 4);

    const res = await http(app)
      .delete(`/api/v1/batches/${batch.id}`)
      .send({ reason: 'Uploaded with the wrong sharing level' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: batch.id, status: 'deleted', insightsDeleted: 4 });

    expect(await insightsOf(batch.id)).toEqual([]);
    expect(fs.existsSync(batchDir(batch.id))).toBe(false);
    await waitFor('the index to drop the batch', async () => (await searchHits(batch.id)) === 0);
    expect(await auditRows('batch.delete', batch.id)).toEqual([
      {
        actor: expect.stringMatching(/^key:/) as string,
        actor_type: 'api_key',
        details: { reason: 'Uploaded with the wrong sharing level', insightsDeleted: 4 },
      },
    ]);

    // Deleting again changes nothing and records nothing more.
    const again = await http(app).delete(`/api/v1/batches/${batch.id}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id: batch.id, status: 'deleted', insightsDeleted: 0 });
    expect(await auditRows('batch.delete', batch.id)).toHaveLength(1);

    // The same file may be uploaded again as a new batch.
    const reupload = await upload(app, file, 'to-delete.csv', { organisation: ORG_A });
    expect(reupload.status).toBe(202);
    expect((reupload.body as { id: string }).id).not.toBe(batch.id);
    expect((await waitForBatch(app, (reupload.body as { id: string }).id)).counts.accepted).toBe(4);
  });

  it("a partner cannot delete another organisation's batch: 404, as if it did not exist", async () => {
    const batch = await uploadAs(partnerA, comments(2, 'lifts'), 'partner-a.csv');
    expect(batch.status).toBe('complete');
    const res = await http(app, partnerB).delete(`/api/v1/batches/${batch.id}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found' });
    expect(await insightsOf(batch.id)).toHaveLength(2);

    const missing = await http(app, partnerB).delete(
      '/api/v1/batches/00000000-0000-4000-8000-000000000000',
    );
    expect(missing.status).toBe(404);
    const analyst = await http(app, keyOf(app, 'analyst')).delete(`/api/v1/batches/${batch.id}`);
    expect(analyst.status).toBe(403);
  });

  it('a partner deletes its own batch before approval, not after', async () => {
    const own = await uploadAs(partnerA, comments(3, 'benches'), 'own-unapproved.csv');
    const view = await http(app, partnerA).get(`/api/v1/batches/${own.id}`);
    expect((view.body as { reviewStatus: string }).reviewStatus).toBe('awaiting_review');
    const res = await http(app, partnerA).delete(`/api/v1/batches/${own.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: own.id, status: 'deleted', insightsDeleted: 3 });
    expect(await insightsOf(own.id)).toEqual([]);
    expect(await auditRows('batch.delete', own.id)).toEqual([
      expect.objectContaining({ details: { reason: 'Deleted on request', insightsDeleted: 3 } }),
    ]);
    const again = await http(app, partnerA).delete(`/api/v1/batches/${own.id}`);
    expect(again.body).toEqual({ id: own.id, status: 'deleted', insightsDeleted: 0 });

    // A trusted organisation's uploads are approved at once: then only a moderator may delete.
    const approved = await uploadAs(partnerTrusted, comments(2, 'bins'), 'own-approved.csv');
    const approvedView = await http(app, partnerTrusted).get(`/api/v1/batches/${approved.id}`);
    expect((approvedView.body as { reviewStatus: string }).reviewStatus).toBe('approved');
    const refused = await http(app, partnerTrusted).delete(`/api/v1/batches/${approved.id}`);
    expect(refused.status).toBe(403);
    expect((refused.body as { message: string }).message).toMatch(/a moderator must delete it/);
    expect(await insightsOf(approved.id)).toHaveLength(2);

    const byModerator = await http(app, keyOf(app, 'moderator')).delete(
      `/api/v1/batches/${approved.id}`,
    );
    expect(byModerator.status).toBe(200);
    expect((byModerator.body as { insightsDeleted: number }).insightsDeleted).toBe(2);
  });

  it('a batch deleted while it is still being processed ends with nothing left behind', async () => {
    const res = await upload(app, comments(20000, 'corridors'), 'in-flight.csv', {
      organisation: ORG_B,
    });
    expect(res.status).toBe(202);
    const id = (res.body as { id: string }).id;
    // Caught part-way: some chunks stored (insights in PostgreSQL), others still to come.
    const seen = await waitFor(
      'the batch to be part-way through',
      async () => {
        const view = (await http(app).get(`/api/v1/batches/${id}`)).body as BatchBody;
        if (!['parsing', 'enriching'].includes(view.status)) return undefined;
        return (await rowCounts(app, id)).insights > 0 ? view.status : undefined;
      },
      60000,
      20,
    );
    expect(['parsing', 'enriching']).toContain(seen);
    const del = await http(app).delete(`/api/v1/batches/${id}`);
    expect(del.status).toBe(200);
    expect((del.body as { insightsDeleted: number }).insightsDeleted).toBeGreaterThan(0);

    // Not "every queue empty": the retention scheduler always keeps its next run waiting on the maintenance queue.
    await waitFor(
      'ingest, enrich and index to be idle',
      async () => {
        const counts = await app.get(PipelineQueues).counts();
        return [counts.ingest, counts.enrich, counts.index].every(
          (c) => !c.waiting && !c.active && !c.delayed && !c.prioritized,
        );
      },
      120000,
      250,
    );
    const view = await http(app).get(`/api/v1/batches/${id}`);
    expect((view.body as { status: string }).status).toBe('deleted');
    expect(await rowCounts(app, id)).toEqual({ insights: 0, rejected: 0, chunks: 0 });
    expect(fs.existsSync(batchDir(id))).toBe(false);
    expect(await searchHits(id)).toBe(0);
  });

  it('never deletes audit rows', async () => {
    const [{ deleted }] = await ds.query<Array<{ deleted: number }>>(
      `SELECT count(*)::int AS deleted FROM batch WHERE status = 'deleted'`,
    );
    expect(deleted).toBeGreaterThanOrEqual(4);
    const [{ uploads }] = await ds.query<Array<{ uploads: number }>>(
      `SELECT count(*)::int AS uploads FROM audit_event e JOIN batch b ON b.id::text = e.target_id
       WHERE e.action = 'batch.upload' AND b.status = 'deleted'`,
    );
    expect(uploads).toBe(deleted);
    await expect(
      ds.query(`DELETE FROM audit_event WHERE action = 'batch.delete'`),
    ).rejects.toThrow();
  });
});
