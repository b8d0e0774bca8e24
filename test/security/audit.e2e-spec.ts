import type { INestApplication } from '@nestjs/common';
import { Command } from 'commander';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { IdentityService } from '../../src/access/identity.service';
import { registerAccessCommands } from '../../src/cli/access.commands';
import { OrganisationsService } from '../../src/organisations/organisations.service';
import { TaggingService } from '../../src/enrichment/tagging/tagging.service';
import { http, keyFor, keyOf, TEST_ICB } from '../support/auth';
import { waitForBatch } from '../support/batches';
import { createTestApp, truncateAll } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const PASSWORD = 'an audited passphrase';
const EMAIL = 'auditor.test@example.nhs.uk';
/** Comment text uploaded in this suite; none of it may reach an audit row. */
const COMMENTS = [
  'The physiotherapy waiting list at the cottage hospital was eleven weeks long',
  'Reception staff at the cottage hospital found me a wheelchair straight away',
];
const SEARCHED = 'physiotherapy';

interface AuditRow {
  id: string;
  actor_type: string;
  actor_id: string | null;
  actor: string;
  organisation_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Record<string, unknown>;
  request_id: string | null;
  ip: string | null;
}

interface AuditPage {
  total: number;
  page: number;
  pageSize: number;
  events: Array<{ action: string; actor: string; targetId: string | null; occurredAt: string }>;
}

/** Runs a users:/keys: command in this process, as `insight-bank <args>` would, and returns stdout. */
async function cli(args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerAccessCommands(program);
  let out = '';
  const write = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => {
      out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    });
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    write.mockRestore();
  }
  return out;
}

describe('audit log: one row per audited action', () => {
  let app: INestApplication<App>;
  let db: DataSource;
  let icbOrg: string;
  let partnerOrg: string;
  let partnerKey: string;
  let userId: string;
  let batchId: string;
  let insightId: string;
  let theme: string;
  let mark = '0';

  const server = () => app.getHttpServer();
  const prefixOf = (key: string) => key.slice(0, 11);

  /** The audit rows of `action` written since the last call. */
  async function newRows(action: string): Promise<AuditRow[]> {
    const rows = await db.query<AuditRow[]>(
      `SELECT * FROM audit_event WHERE id > $1 AND action = $2 ORDER BY id`,
      [mark, action],
    );
    return rows;
  }

  /** Waits for exactly one new row of `action` (some are written just after the answer). */
  async function oneRow(action: string): Promise<AuditRow> {
    const rows = await waitFor(`an ${action} audit row`, async () => {
      const r = await newRows(action);
      return r.length > 0 ? r : undefined;
    });
    // A second row would come with the first: time for it to show, if there were one.
    await new Promise((r) => setTimeout(r, 100));
    const settled = await newRows(action);
    expect(settled).toHaveLength(1);
    return rows[0];
  }

  beforeEach(async () => {
    const [{ max }] = await db.query<Array<{ max: string | null }>>(
      `SELECT max(id)::text AS max FROM audit_event`,
    );
    mark = max ?? '0';
  });

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    await truncateAll(app);
    const tagging = app.get(TaggingService);
    await tagging.ensureSeeded();
    await tagging.refresh();
    const orgs = app.get(OrganisationsService);
    icbOrg = (await orgs.byCode(TEST_ICB)).id;
    partnerKey = await keyFor(app, 'partner', 'hw-audited');
    partnerOrg = (await orgs.byCode('hw-audited')).id;
    userId = (
      await app
        .get(IdentityService)
        .createUser({ email: EMAIL, role: 'analyst', organisation: TEST_ICB, password: PASSWORD })
    ).id;
    const [leaf] = await db.query<Array<{ code: string }>>(
      `SELECT code FROM theme WHERE active AND parent_code IS NOT NULL ORDER BY code LIMIT 1`,
    );
    theme = leaf.code;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('sign-in: auth.sign_in names the person, their organisation and address', async () => {
    const res = await request(server())
      .post('/api/v1/auth/sign-in')
      .send({ email: EMAIL, password: PASSWORD });
    expect(res.status).toBe(200);
    const row = await oneRow('auth.sign_in');
    expect(row).toMatchObject({
      actor_type: 'user',
      actor_id: userId,
      actor: EMAIL,
      organisation_id: icbOrg,
    });
    expect(row.ip).toMatch(/127\.0\.0\.1|::1/);
    expect(row.request_id).toBeTruthy();
  });

  it('failed sign-in: auth.sign_in_failed names the email tried and why, never the password', async () => {
    const res = await request(server())
      .post('/api/v1/auth/sign-in')
      .send({ email: EMAIL, password: 'not the audited passphrase' });
    expect(res.status).toBe(401);
    const row = await oneRow('auth.sign_in_failed');
    expect(row).toMatchObject({
      actor: EMAIL,
      actor_id: userId,
      details: { reason: 'bad_credentials' },
    });
    expect(JSON.stringify(row)).not.toContain('not the audited passphrase');
    await app
      .get(DataSource)
      .query(`UPDATE app_user SET failed_sign_ins = 0 WHERE id = $1`, [userId]);
  });

  it('upload: batch.upload names the key, the partner and the batch', async () => {
    const file = Buffer.from(
      `reference,comment\n${COMMENTS.map((c, i) => `a-${i},${c}`).join('\n')}\n`,
      'utf8',
    );
    const res = await http(app, partnerKey)
      .post('/api/v1/batches')
      .field('sourceType', 'survey')
      .field('title', 'Audited upload')
      .field('sharingLevel', 'icb')
      .attach('file', file, 'audited.csv');
    expect(res.status).toBe(202);
    batchId = (res.body as { id: string }).id;
    const row = await oneRow('batch.upload');
    expect(row).toMatchObject({
      actor_type: 'api_key',
      actor: `key:${prefixOf(partnerKey)}`,
      organisation_id: partnerOrg,
      target_type: 'batch',
      target_id: batchId,
      details: { sourceType: 'survey', sharingLevel: 'icb' },
    });
    expect((await waitForBatch(app, batchId)).status).toBe('complete');
    const [first] = await db.query<Array<{ id: string }>>(
      `SELECT id FROM insight WHERE batch_id = $1 ORDER BY row_number LIMIT 1`,
      [batchId],
    );
    insightId = first.id;
  });

  it('approval: batch.approve names the moderator and the batch', async () => {
    const moderator = keyOf(app, 'moderator');
    const res = await http(app, moderator)
      .post(`/api/v1/moderation/batches/${batchId}/approve`)
      .send({});
    expect(res.status).toBe(200);
    const row = await oneRow('batch.approve');
    expect(row).toMatchObject({
      actor: `key:${prefixOf(moderator)}`,
      organisation_id: icbOrg,
      target_type: 'batch',
      target_id: batchId,
    });
  });

  it('search: insights.search records what was asked, not what was found', async () => {
    const analyst = keyOf(app, 'analyst');
    let searches = 0;
    await waitFor('the approved comments in the index', async () => {
      searches++;
      const res = await http(app, analyst).get('/api/v1/insights/search').query({ batch: batchId });
      return (res.body as { total: number }).total === COMMENTS.length;
    });
    // Those searches are audited just after they answer; the mark below must follow their rows.
    await waitFor(
      'the audit rows of the searches that waited for the index',
      async () => (await newRows('insights.search')).length >= searches,
    );
    const [{ max }] = await db.query<Array<{ max: string }>>(
      `SELECT max(id)::text AS max FROM audit_event`,
    );
    mark = max;
    const res = await http(app, analyst)
      .get('/api/v1/insights/search')
      .query({ q: SEARCHED, sourceType: 'survey' });
    expect(res.status).toBe(200);
    expect((res.body as { total: number }).total).toBe(1);
    const row = await oneRow('insights.search');
    expect(row).toMatchObject({
      actor: `key:${prefixOf(analyst)}`,
      details: { query: { q: SEARCHED, sourceType: 'survey' } },
    });
  });

  it('view: insights.view names the comment', async () => {
    const res = await http(app, keyOf(app, 'commissioner')).get(`/api/v1/insights/${insightId}`);
    expect(res.status).toBe(200);
    const row = await oneRow('insights.view');
    expect(row).toMatchObject({ target_type: 'insight', target_id: insightId });
  });

  it('export: insights.export records the query and format', async () => {
    const res = await http(app, keyOf(app, 'commissioner'))
      .get('/api/v1/insights/export')
      .query({ format: 'csv', batch: batchId });
    expect(res.status).toBe(200);
    const row = await oneRow('insights.export');
    expect(row).toMatchObject({
      actor: `key:${prefixOf(keyOf(app, 'commissioner'))}`,
      details: { query: { format: 'csv', batch: batchId } },
    });
  });

  it('tag edit: insights.tag_edit names the comment, the change and the theme', async () => {
    const res = await http(app, keyOf(app, 'analyst'))
      .post(`/api/v1/insights/${insightId}/tags`)
      .send({ action: 'add', theme });
    expect(res.status).toBe(201);
    const row = await oneRow('insights.tag_edit');
    expect(row).toMatchObject({
      target_type: 'insight',
      target_id: insightId,
      details: { action: 'add', theme },
    });
  });

  it('key creation and revocation at the command line: key.create and key.revoke by cli', async () => {
    const created = await cli(['keys:create', '--org', TEST_ICB, '--role', 'analyst']);
    const key = /(ib_[0-9a-f]{8}_[A-Za-z0-9_-]{43})/.exec(created)?.[1];
    expect(key).toBeDefined();
    const made = await oneRow('key.create');
    expect(made).toMatchObject({
      actor_type: 'system',
      actor: 'cli',
      target_type: 'api_key',
      target_id: prefixOf(key!),
      details: { role: 'analyst', organisation: TEST_ICB },
    });
    expect(JSON.stringify(made)).not.toContain(key!.slice(12)); // never the secret

    await cli(['keys:revoke', prefixOf(key!)]);
    const revoked = await oneRow('key.revoke');
    expect(revoked).toMatchObject({ actor: 'cli', target_id: prefixOf(key!) });
    expect((await http(app, key as string).get('/api/v1/auth/me')).status).toBe(401);
  });

  it('deletion: batch.delete names who deleted which batch and why', async () => {
    const admin = keyOf(app, 'admin');
    const res = await http(app, admin)
      .delete(`/api/v1/batches/${batchId}`)
      .send({ reason: 'Audit test clean-up' });
    expect(res.status).toBe(200);
    const row = await oneRow('batch.delete');
    expect(row).toMatchObject({
      actor: `key:${prefixOf(admin)}`,
      target_type: 'batch',
      target_id: batchId,
      details: { reason: 'Audit test clean-up' },
    });
  });

  it('no audit row holds comment text', async () => {
    const rows = await db.query<Array<{ t: string }>>(
      `SELECT row_to_json(a)::text AS t FROM audit_event a`,
    );
    expect(rows.length).toBeGreaterThan(8);
    for (const { t } of rows)
      for (const c of COMMENTS) {
        expect(t).not.toContain(c);
        expect(t).not.toContain(c.slice(c.indexOf(' ', 20)).trim().slice(0, 30));
      }
  });

  describe('GET /api/v1/audit', () => {
    const audit = (params: Record<string, string>, role: 'admin' | 'moderator' = 'admin') =>
      http(app, keyOf(app, role)).get('/api/v1/audit').query(params);

    it('filters by action, action prefix, actor, organisation, target and time, newest first', async () => {
      const byAction = (await audit({ action: 'auth.sign_in' })).body as AuditPage;
      expect(byAction.total).toBe(1);
      expect(byAction.events[0]).toMatchObject({ action: 'auth.sign_in', actor: EMAIL });

      const insights = (await audit({ action: 'insights.*', pageSize: '500' })).body as AuditPage;
      expect(insights.total).toBeGreaterThanOrEqual(4);
      expect(insights.events.every((e) => e.action.startsWith('insights.'))).toBe(true);

      const byActor = (await audit({ actor: EMAIL.toUpperCase() })).body as AuditPage;
      expect(new Set(byActor.events.map((e) => e.actor))).toEqual(new Set([EMAIL]));
      expect(byActor.events.map((e) => e.action).sort()).toEqual(
        ['auth.sign_in', 'auth.sign_in_failed'].sort(),
      );

      const byOrg = (await audit({ organisation: partnerOrg })).body as AuditPage;
      expect(byOrg.events.map((e) => e.action)).toEqual(['batch.upload']);

      const byTarget = (await audit({ targetType: 'batch', targetId: batchId })).body as AuditPage;
      expect(byTarget.events.map((e) => e.action)).toEqual([
        'batch.delete',
        'batch.approve',
        'batch.upload',
      ]);
      const times = byTarget.events.map((e) => e.occurredAt);
      expect([...times].sort().reverse()).toEqual(times);

      const future = (await audit({ from: new Date(Date.now() + 60_000).toISOString() }))
        .body as AuditPage;
      expect(future.total).toBe(0);
      const past = (await audit({ to: new Date(Date.now() - 3_600_000).toISOString() }))
        .body as AuditPage;
      expect(past.total).toBe(0);

      const page2 = (
        await audit({ targetType: 'batch', targetId: batchId, pageSize: '1', page: '2' })
      ).body as AuditPage;
      expect(page2).toMatchObject({ total: 3, page: 2, pageSize: 1 });
      expect(page2.events.map((e) => e.action)).toEqual(['batch.approve']);
    });

    it('refuses bad filters by name', async () => {
      const res = await audit({ organisation: 'not-a-uuid', pageSize: '100000' });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toMatch(/organisation/);
      expect(JSON.stringify(res.body)).toMatch(/pageSize/);
    });

    it('is for admins only', async () => {
      for (const role of ['moderator', 'commissioner', 'analyst', 'partner'] as const)
        expect((await http(app, keyOf(app, role)).get('/api/v1/audit')).status).toBe(403);
      expect((await http(app, null).get('/api/v1/audit')).status).toBe(401);
    });
  });

  it('audit rows cannot be changed or deleted, even with direct database access', async () => {
    const [row] = await db.query<Array<{ id: string; actor: string }>>(
      `SELECT id::text, actor FROM audit_event ORDER BY id LIMIT 1`,
    );
    await expect(
      db.query(`UPDATE audit_event SET actor = 'someone else' WHERE id = $1`, [row.id]),
    ).rejects.toThrow(/audit_event rows cannot be changed or deleted/);
    await expect(db.query(`DELETE FROM audit_event WHERE id = $1`, [row.id])).rejects.toThrow(
      /audit_event rows cannot be changed or deleted/,
    );
    const [after] = await db.query<Array<{ actor: string }>>(
      `SELECT actor FROM audit_event WHERE id = $1`,
      [row.id],
    );
    expect(after.actor).toBe(row.actor);
  });

  it('sign-out: auth.sign_out names the person', async () => {
    const agent = request.agent(server());
    const signed = await agent
      .post('/api/v1/auth/sign-in')
      .send({ email: EMAIL, password: PASSWORD });
    const token = (signed.body as { csrfToken: string }).csrfToken;
    const [{ max }] = await db.query<Array<{ max: string }>>(
      `SELECT max(id)::text AS max FROM audit_event`,
    );
    mark = max;
    expect((await agent.post('/api/v1/auth/sign-out').set('x-csrf-token', token)).status).toBe(200);
    const row = await oneRow('auth.sign_out');
    expect(row).toMatchObject({ actor: EMAIL, actor_id: userId });
  });
});
