import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { IdentityService } from '../../src/access/identity.service';
import { ROLES } from '../../src/access/permissions';
import type { Principal } from '../../src/access/principal';
import { AuditService } from '../../src/audit/audit.service';
import { http, keyFor, keyOf, TEST_ICB } from '../support/auth';
import { BankProcess } from '../support/bank-process';
import { waitForBatch } from '../support/batches';
import { createTestApp, truncateAll } from '../support/test-app';

const NUL = '\u0000';
const PASSWORD = 'a passphrase for the NUL tests';
const EMAIL = 'nul.tester@example.nhs.uk';

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: { field?: string };
}

/** A 400 that names the field, never a 500. */
function expectRefusedNaming(res: request.Response, field: string): void {
  expect({ status: res.status, body: res.body as ErrorBody }).toMatchObject({
    status: 400,
    body: { code: 'invalid_input', details: { field } },
  });
  expect((res.body as ErrorBody).message).toContain(field);
  expect((res.body as ErrorBody).message).toMatch(/NUL/);
}

describe('text with a NUL byte is refused at the boundary, naming the field', () => {
  let app: INestApplication<App>;
  let db: DataSource;
  let partnerKey: string;
  let batchId: string;
  let insightId: string;

  beforeAll(async () => {
    app = await createTestApp();
    await truncateAll(app);
    db = app.get(DataSource);
    partnerKey = await keyFor(app, 'partner', 'hw-nul');
    const upload = await http(app, partnerKey)
      .post('/api/v1/batches')
      .field('sourceType', 'survey')
      .field('title', 'NUL boundary survey')
      .attach(
        'file',
        Buffer.from('reference,comment\nn-1,The pharmacy opened late\nn-2,The car park was full\n'),
        'nul.csv',
      );
    expect(upload.status).toBe(202);
    batchId = (upload.body as { id: string }).id;
    expect((await waitForBatch(app, batchId)).status).toBe('complete');
    const rows = await db.query<Array<{ id: string }>>(
      `SELECT id FROM insight WHERE batch_id = $1 ORDER BY row_number`,
      [batchId],
    );
    insightId = rows[0].id;
    await app.get(IdentityService).createUser({
      email: EMAIL,
      role: 'analyst',
      organisation: TEST_ICB,
      password: PASSWORD,
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('a search for q=%00 is 400 naming q, for every role', async () => {
    for (const role of ROLES) {
      const res = await http(app, keyOf(app, role)).get('/api/v1/insights/search?q=%00');
      expectRefusedNaming(res, 'q');
    }
    expectRefusedNaming(await http(app).get(`/api/v1/insights/summary?q=a%00b`), 'q');
    expectRefusedNaming(await http(app).get(`/api/v1/insights/trends?hcpArea=%00`), 'hcpArea');
  });

  it('signing in with a NUL in the email or password is 400 naming the field (API and form)', async () => {
    const server = app.getHttpServer();
    expectRefusedNaming(
      await request(server)
        .post('/api/v1/auth/sign-in')
        .send({ email: `nul${NUL}@example.nhs.uk`, password: PASSWORD }),
      'email',
    );
    expectRefusedNaming(
      await request(server)
        .post('/api/v1/auth/sign-in')
        .send({ email: EMAIL, password: `${PASSWORD}${NUL}` }),
      'password',
    );
    const form = await request(server)
      .post('/sign-in')
      .type('form')
      .send(`email=nul%00%40example.nhs.uk&password=x`);
    expect(form.status).toBe(400);
    expect(form.text).toContain('email must not contain a NUL character');
    // The account is untouched: the right password still signs in.
    await request(server)
      .post('/api/v1/auth/sign-in')
      .send({ email: EMAIL, password: PASSWORD })
      .expect(200);
  });

  it('an upload whose title holds a NUL is 400 naming title, and no batch is made', async () => {
    const before = await db.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM batch`);
    const res = await http(app, partnerKey)
      .post('/api/v1/batches')
      .field('sourceType', 'survey')
      .field('title', `Spring${NUL}survey`)
      .attach('file', Buffer.from('comment\nThe waiting room was cold\n'), 'title.csv');
    expectRefusedNaming(res, 'title');
    const after = await db.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM batch`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('an upload whose file name holds a NUL is taken, with the NUL dropped from the name', async () => {
    // busboy refuses a raw NUL in a part header, but decodes one from an RFC 5987 file name.
    const b = 'nulboundary';
    const part = (name: string, value: string) =>
      `--${b}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const body =
      part('sourceType', 'survey') +
      part('title', 'File name with a NUL') +
      `--${b}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''spring%00survey.csv\r\n` +
      `Content-Type: text/csv\r\n\r\ncomment\nThe lift was broken again\n\r\n--${b}--\r\n`;
    const res = await http(app, partnerKey)
      .post('/api/v1/batches')
      .set('content-type', `multipart/form-data; boundary=${b}`)
      .send(Buffer.from(body));
    expect(res.status).toBe(202);
    const [batch] = await db.query<Array<{ file_name: string }>>(
      `SELECT file_name FROM batch WHERE id = $1`,
      [(res.body as { id: string }).id],
    );
    expect(batch.file_name).toBe('springsurvey.csv');
    expect((await waitForBatch(app, (res.body as { id: string }).id)).status).toBe('complete');
  });

  it('a theme name or lexicon phrase with a NUL is 400 naming it', async () => {
    const moderator = keyOf(app, 'moderator');
    expectRefusedNaming(
      await http(app, moderator)
        .post('/api/v1/taxonomy')
        .send({ code: 'nul_parking', name: `Park${NUL}ing`, kind: 'category' }),
      'name',
    );
    expectRefusedNaming(
      await http(app, moderator)
        .post('/api/v1/taxonomy')
        .send({
          code: 'nul_parking',
          name: 'Parking',
          kind: 'category',
          lexicon: { phrases: ['car park', `park${NUL}ride`] },
        }),
      'lexicon.phrases[1]',
    );
    await http(app, moderator).get('/api/v1/taxonomy/nul_parking').expect(404);
  });

  it('moderation reasons and text corrections with a NUL are 400 naming the field; nothing changes', async () => {
    const moderator = keyOf(app, 'moderator');
    const state = () =>
      db.query<Array<{ review_status: string; text: string; moderation_status: string }>>(
        `SELECT b.review_status, i.text, i.moderation_status
           FROM insight i JOIN batch b ON b.id = i.batch_id WHERE i.id = $1`,
        [insightId],
      );
    const before = await state();
    expect(before).toEqual([
      {
        review_status: 'awaiting_review',
        text: 'The pharmacy opened late',
        moderation_status: 'pending',
      },
    ]);
    expectRefusedNaming(
      await http(app, moderator)
        .post(`/api/v1/moderation/batches/${batchId}/reject`)
        .send({ reason: `Staff${NUL}survey` }),
      'reason',
    );
    expectRefusedNaming(
      await http(app, moderator)
        .post(`/api/v1/moderation/insights/${insightId}/approve`)
        .send({ reason: NUL }),
      'reason',
    );
    expectRefusedNaming(
      await http(app, moderator)
        .post(`/api/v1/moderation/insights/${insightId}/safeguarding/clear`)
        .send({ reason: `song${NUL}lyric` }),
      'reason',
    );
    expectRefusedNaming(
      await http(app, moderator)
        .patch(`/api/v1/moderation/insights/${insightId}/text`)
        .send({ text: `The pharmacy${NUL} opened late` }),
      'text',
    );
    expect(await state()).toEqual(before);
  });

  it('audit filters with a NUL are 400 naming the filter', async () => {
    for (const field of ['action', 'actor', 'targetType', 'targetId'])
      expectRefusedNaming(await http(app).get(`/api/v1/audit?${field}=a%00b`), field);
  });

  it('a parameter whose name holds a NUL is refused without repeating the name', async () => {
    const res = await http(app).get('/api/v1/insights/search?q%00x=1');
    expect(res.status).toBe(400);
    expect((res.body as ErrorBody).message).not.toContain(NUL);
  });

  it('the audit log still records every search after the refusals', async () => {
    const before = await db.query<Array<{ n: string }>>(
      `SELECT count(*) AS n FROM audit_event WHERE action = 'insights.search'`,
    );
    const analyst = keyOf(app, 'analyst');
    for (let i = 0; i < 3; i++)
      await http(app, analyst).get('/api/v1/insights/search?q=pharmacy').expect(200);
    await app.get(AuditService).flush();
    const after = await db.query<Array<{ n: string }>>(
      `SELECT count(*) AS n FROM audit_event WHERE action = 'insights.search'`,
    );
    expect(Number(after[0].n) - Number(before[0].n)).toBe(3);
  });
});

describe('the audit queue: a row PostgreSQL refuses holds up nothing', () => {
  let app: INestApplication<App>;
  let db: DataSource;
  let audit: AuditService;

  beforeAll(async () => {
    app = await createTestApp('api');
    await truncateAll(app);
    db = app.get(DataSource);
    audit = app.get(AuditService);
  });

  afterAll(async () => {
    await app?.close();
  });

  const principal = (over: Partial<Principal> = {}): Principal => ({
    kind: 'api_key',
    id: 'k-queue',
    role: 'analyst',
    organisationId: null,
    organisationCode: null,
    label: 'key:ib_queue000',
    ...over,
  });

  async function rowsOf(requestIdPrefix: string) {
    return db.query<
      Array<{
        request_id: string;
        actor: string;
        organisation_id: string | null;
        target_id: string | null;
        details: Record<string, unknown>;
      }>
    >(
      `SELECT request_id, actor, organisation_id, target_id, details FROM audit_event
        WHERE request_id LIKE $1 ORDER BY id`,
      [`${requestIdPrefix}%`],
    );
  }

  it('writes the rows behind a row with NUL bytes, and that row with them replaced', async () => {
    audit.recordSoon(
      { principal: principal({ label: `key:ib_${NUL}` }), requestId: `nul-0${NUL}` },
      {
        action: 'insights.search',
        targetId: `t${NUL}`,
        details: { query: { q: `a${NUL}b`, [`k${NUL}`]: '\uD800x' } },
      },
    );
    for (let i = 1; i <= 5; i++)
      audit.recordSoon(
        { principal: principal(), requestId: `nul-${i}` },
        { action: 'insights.search', details: { query: { q: `good ${i}` } } },
      );
    await audit.flush();
    const rows = await rowsOf('nul-');
    expect(rows.map((r) => r.request_id)).toEqual([
      'nul-0\uFFFD',
      'nul-1',
      'nul-2',
      'nul-3',
      'nul-4',
      'nul-5',
    ]);
    expect(rows[0]).toMatchObject({
      actor: 'key:ib_\uFFFD',
      target_id: 't\uFFFD',
      details: { query: { q: 'a\uFFFDb', 'k\uFFFD': '\uFFFDx' } },
    });
    expect(rows[5].details).toEqual({ query: { q: 'good 5' } });
  });

  it('writes a row PostgreSQL refuses for another reason in a safe form, queued or at once', async () => {
    const refused = principal({ organisationId: 'not-an-organisation-id' });
    audit.recordSoon(
      { principal: refused, requestId: 'refused-0' },
      { action: 'insights.summary', details: { query: { q: 'kept out' } } },
    );
    audit.recordSoon(
      { principal: principal(), requestId: 'refused-1' },
      { action: 'insights.summary' },
    );
    await audit.flush();
    await audit.record(
      { principal: refused, requestId: 'refused-2' },
      { action: 'key.revoke', targetType: 'api_key', targetId: 'ib_refused' },
    );
    const rows = await rowsOf('refused-');
    expect(rows).toEqual([
      {
        request_id: 'refused-0',
        actor: 'key:ib_queue000',
        organisation_id: null,
        target_id: null,
        details: { notStored: 'PostgreSQL refused this row (SQLSTATE 22P02)' },
      },
      {
        request_id: 'refused-1',
        actor: 'key:ib_queue000',
        organisation_id: null,
        target_id: null,
        details: {},
      },
      {
        request_id: 'refused-2',
        actor: 'key:ib_queue000',
        organisation_id: null,
        target_id: 'ib_refused',
        details: { notStored: 'PostgreSQL refused this row (SQLSTATE 22P02)' },
      },
    ]);
  });
});

describe('audit rows queued when the api stops are written before it exits', () => {
  let app: INestApplication<App>;
  let db: DataSource;
  const bank = new BankProcess();

  beforeAll(async () => {
    app = await createTestApp('api');
    await truncateAll(app);
    db = app.get(DataSource);
    await bank.start({});
  });

  afterAll(async () => {
    await bank.stop();
    await app?.close();
  });

  it('after a search for q=%00, every search answered before SIGTERM has its audit row', async () => {
    const key = await keyFor(app, 'analyst', TEST_ICB);
    const headers = { authorization: `Bearer ${key}` };
    // Before, this search queued a row PostgreSQL refused, and every row behind it was lost.
    const nul = await fetch(`${bank.url}/api/v1/insights/search?q=%00`, { headers });

    const searches = Array.from({ length: 40 }, (_, i) =>
      fetch(`${bank.url}/api/v1/insights/search?q=ward&page=${i + 1}`, { headers }).then(
        (r) => r.status,
        () => 0,
      ),
    );
    // Stop while most are still in flight.
    await Promise.race(searches);
    const stopAt = Date.now();
    const stopped = bank.stop();
    const statuses = await Promise.all(searches);
    await stopped;
    // Kept-alive connections do not hold the exit up for their keep-alive time.
    expect(Date.now() - stopAt).toBeLessThan(2500);
    const answered = statuses.filter((s) => s === 200).length;
    expect(answered).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 200 && s !== 0)).toEqual([]);

    const [{ n }] = await db.query<Array<{ n: string }>>(
      `SELECT count(*) AS n FROM audit_event WHERE action = 'insights.search' AND actor = $1`,
      [`key:${key.slice(0, 11)}`],
    );
    expect(Number(n)).toBe(answered);
    expect(bank.output).not.toContain('not written');
    expect(nul.status).toBe(400);
  });
});
