import type { INestApplication } from '@nestjs/common';
import Redis from 'ioredis';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { AuditService } from '../../src/audit/audit.service';
import { SearchIndexService } from '../../src/search/indexing/search-index.service';
import { MeiliService } from '../../src/search/meili/meili.service';
import { http, keyOf } from '../support/auth';
import { ensureOrg, upload, waitForBatch } from '../support/batches';
import { createTestApp, truncateAll } from '../support/test-app';

/**
 * Identifiers outside the comment text: a row reference, the upload's file name and provenance,
 * delete and reject reasons, a search query. A bare ten-digit NHS number (valid check digit, no
 * wording around it), an email address and a phone number in each.
 */
const NHS = '9434765919';
const EMAIL = 'jane.doe@example.com';
const PHONE = '07700 900123';
const ALL = `${NHS} ${EMAIL} ${PHONE}`;

function leaks(haystack: string): string[] {
  const flat = haystack.toLowerCase();
  return [NHS, '943 476 5919', '943-476-5919', EMAIL, PHONE, PHONE.replace(/\s/g, '')].filter((v) =>
    flat.includes(v.toLowerCase()),
  );
}

function csv(rows: string[][]): Buffer {
  return Buffer.from(
    rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n') + '\n',
  );
}

describe('identifiers outside the comment text are de-identified', () => {
  let app: INestApplication<App>;

  beforeAll(async () => {
    app = await createTestApp();
    await truncateAll(app);
    await ensureOrg(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('leave no trace in PostgreSQL, Redis or Meilisearch', async () => {
    const provenance = {
      title: `Clinic survey for ${ALL}`,
      collectionMethod: `Phone calls to ${PHONE} and ${NHS}`,
      sampleDescription: `Patients such as ${ALL}`,
      lawfulBasis: `Consent from ${EMAIL}`,
    };
    const kept = await upload(
      app,
      csv([
        ['reference', 'comment'],
        [NHS, 'The waiting room was clean and the staff were kind'],
        [EMAIL, 'Parking at the hospital is far too expensive'],
        [PHONE, 'My appointment letter arrived after the appointment'],
        [`HW-${NHS}`, 'The pharmacy ran out of my prescription again'],
      ]),
      `feedback ${ALL}.csv`,
      provenance,
    );
    expect(kept.status).toBe(202);
    const batch = await waitForBatch(app, kept.body.id);
    expect(batch.status).toBe('complete');
    expect(batch.counts.accepted).toBe(4);

    // What the API shows of the batch and its rows is de-identified too.
    const shown = await http(app).get(`/api/v1/batches/${batch.id}`);
    expect(shown.body.fileName).toBe('feedback [NHS_NUMBER] [EMAIL] [PHONE].csv');
    expect(shown.body.title).toBe('Clinic survey for [NHS_NUMBER] [EMAIL] [PHONE]');

    // A second upload, deleted with a reason naming the patient: the tombstone and the audit row keep it.
    const gone = await upload(
      app,
      csv([
        ['reference', 'comment'],
        ['R1', 'The receptionist was very helpful on the phone'],
      ]),
      `second ${ALL}.csv`,
      provenance,
    );
    await waitForBatch(app, gone.body.id);
    await http(app)
      .delete(`/api/v1/batches/${gone.body.id}`)
      .send({ reason: `Wrong file: holds ${ALL}` })
      .expect(200);

    // A moderator rejects one comment with a reason holding a bare NHS number.
    const ds = app.get(DataSource);
    const [one] = await ds.query<Array<{ id: string }>>(
      `SELECT id FROM insight WHERE batch_id = $1 ORDER BY row_number LIMIT 1`,
      [batch.id],
    );
    await http(app, keyOf(app, 'moderator'))
      .post(`/api/v1/moderation/insights/${one.id}/reject`)
      .send({ reason: `Duplicate of ${NHS}, ask ${EMAIL} or ${PHONE}` })
      .expect(200);

    // Searches for the patient: the audit log keeps the query, de-identified.
    await http(app).get('/api/v1/insights/search').query({ q: ALL }).expect(200);
    await app.get(AuditService).flush();

    const tables = await ds.query<Array<{ tablename: string }>>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`,
    );
    let database = '';
    for (const { tablename } of tables) {
      const rows = await ds.query<Array<{ r: string }>>(
        `SELECT t::text AS r FROM "${tablename}" t`,
      );
      database += rows.map((r) => r.r).join('\n');
    }
    // The identifiers were really there to be kept: their placeholders are what is stored.
    expect(database).toContain('HW-[NHS_NUMBER]');
    expect(database).toContain('Wrong file: holds [NHS_NUMBER] [EMAIL] [PHONE]');
    expect(database).toContain('Duplicate of [NHS_NUMBER], ask [EMAIL] or [PHONE]');
    const [searched] = await ds.query<Array<{ details: { query: { q: string } } }>>(
      `SELECT details FROM audit_event WHERE action = 'insights.search'`,
    );
    expect(searched.details.query.q).toBe('[NHS_NUMBER] [EMAIL] [PHONE]');
    expect(leaks(database)).toEqual([]);

    const meili = app.get(MeiliService);
    const docs = await meili.request<{ results: unknown[] }>(
      'POST',
      `/indexes/${app.get(SearchIndexService).uid}/documents/fetch`,
      { limit: 1000 },
    );
    expect(docs.results.length).toBeGreaterThanOrEqual(3);
    expect(leaks(JSON.stringify(docs))).toEqual([]);

    const redis = new Redis(process.env.REDIS_URL!);
    let stored = '';
    try {
      const keys = await redis.keys(`${process.env.QUEUE_PREFIX}:*`);
      expect(keys.length).toBeGreaterThan(0);
      stored += keys.join('\n');
      for (const key of keys) {
        const type = await redis.type(key);
        if (type === 'hash') stored += JSON.stringify(await redis.hgetall(key));
        else if (type === 'string') stored += (await redis.get(key)) ?? '';
        else if (type === 'list') stored += (await redis.lrange(key, 0, -1)).join('\n');
        else if (type === 'zset') stored += (await redis.zrange(key, 0, -1)).join('\n');
        else if (type === 'set') stored += (await redis.smembers(key)).join('\n');
        else if (type === 'stream')
          stored += JSON.stringify(await redis.xrange(key, '-', '+', 'COUNT', 10000));
      }
    } finally {
      redis.disconnect();
    }
    expect(stored).toContain(batch.id);
    expect(leaks(stored)).toEqual([]);
  });

  it('are not echoed in the error about a file whose header row is data', async () => {
    // No header row: the first row's values are what the bank lists as the file's columns.
    const res = await upload(
      app,
      csv([
        [NHS, `Call me on ${PHONE} or ${EMAIL}`, 'kind staff'],
        ['4010232137', 'The ward was noisy', 'noisy'],
      ]),
      'no-header.csv',
    );
    expect(res.status).toBe(400);
    const said = JSON.stringify(res.body);
    expect(said).toContain('Columns in the file');
    expect(said).toContain('[NHS_NUMBER]');
    expect(leaks(said)).toEqual([]);
  });
});
