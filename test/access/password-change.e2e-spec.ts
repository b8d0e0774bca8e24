import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { SESSION_COOKIE } from '../../src/access/http-security';
import { IdentityService } from '../../src/access/identity.service';
import { http, keyOf, TEST_ICB } from '../support/auth';
import { createTestApp, truncateAll } from '../support/test-app';

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'purple elephant under the stairs';

function server(app: INestApplication): App {
  return (app as INestApplication<App>).getHttpServer();
}

async function newUser(app: INestApplication): Promise<string> {
  const email = `changer-${randomBytes(4).toString('hex')}@example.org`;
  await app
    .get(IdentityService, { strict: false })
    .createUser({ email, role: 'partner', organisation: TEST_ICB, password: PASSWORD });
  return email;
}

/** Signs in through the API: the session cookie and its CSRF token. */
async function session(
  app: INestApplication,
  email: string,
  password = PASSWORD,
): Promise<{ cookie: string; token: string }> {
  const res = await request(server(app)).post('/api/v1/auth/sign-in').send({ email, password });
  expect(res.status).toBe(200);
  const raw = ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  return { cookie: raw!.split(';')[0], token: (res.body as { csrfToken: string }).csrfToken };
}

function me(app: INestApplication, cookie: string) {
  return request(server(app)).get('/api/v1/auth/me').set('cookie', cookie);
}

describe('changing your own password', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp('api');
    await truncateAll(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('through the API: current password required, other sessions end, audited', async () => {
    const email = await newUser(app);
    const laptop = await session(app, email);
    const phone = await session(app, email);
    const change = (s: { cookie: string; token: string }, body: Record<string, string>) =>
      request(server(app))
        .post('/api/v1/auth/password')
        .set('cookie', s.cookie)
        .set('x-csrf-token', s.token)
        .send(body);

    const wrong = await change(laptop, {
      currentPassword: 'not my password',
      newPassword: NEW_PASSWORD,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toBe('Your current password is wrong');
    const short = await change(laptop, { currentPassword: PASSWORD, newPassword: 'too short' });
    expect(short.status).toBe(400);
    expect(short.body.message).toMatch(/at least 12 characters/);
    const same = await change(laptop, { currentPassword: PASSWORD, newPassword: PASSWORD });
    expect(same.status).toBe(400);
    expect(same.body.details).toEqual([
      { field: 'newPassword', message: expect.stringMatching(/different/) },
    ]);

    const ok = await change(laptop, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(ok.status).toBe(200);
    // The session carries on under a new id; the other one has ended.
    const renewed = ([] as string[])
      .concat(ok.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith(`${SESSION_COOKIE}=`))!
      .split(';')[0];
    expect(renewed).not.toBe(laptop.cookie);
    expect((await me(app, renewed)).status).toBe(200);
    expect((await me(app, phone.cookie)).status).toBe(401);
    // Only the new password signs in now.
    const old = await request(server(app))
      .post('/api/v1/auth/sign-in')
      .send({ email, password: PASSWORD });
    expect(old.status).toBe(401);
    await session(app, email, NEW_PASSWORD);

    const rows = await app
      .get(DataSource)
      .query<Array<{ action: string; details: Record<string, unknown> | null }>>(
        `SELECT action, details FROM audit_event WHERE action LIKE 'auth.password_change%' AND target_id = (SELECT id::text FROM app_user WHERE email = $1) ORDER BY occurred_at, id`,
        [email],
      );
    expect(rows.map((r) => r.action)).toEqual([
      'auth.password_change_failed',
      'auth.password_change_failed',
      'auth.password_change_failed',
      'auth.password_change',
    ]);
    expect(JSON.stringify(rows)).not.toContain(NEW_PASSWORD);
    expect(JSON.stringify(rows)).not.toContain('not my password');
  });

  it('refuses an API key: only people have passwords', async () => {
    const res = await http(app, keyOf(app, 'analyst'))
      .post('/api/v1/auth/password')
      .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(403);
  });

  it('through the page: errors by field, then a success banner', async () => {
    const email = await newUser(app);
    const s = await session(app, email);
    const form = await request(server(app)).get('/account/password').set('cookie', s.cookie);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Change your password');
    const token = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const post = (body: Record<string, string>) =>
      request(server(app))
        .post('/account/password')
        .set('cookie', s.cookie)
        .type('form')
        .send({ _csrf: token, ...body });

    const mismatch = await post({
      currentPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
      confirmPassword: 'something else entirely',
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('href="#confirmPassword"');
    expect(mismatch.text).toContain('The two new passwords do not match');
    const wrong = await post({
      currentPassword: 'wrong wrong wrong',
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('href="#currentPassword"');

    const done = await post({
      currentPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/account/password');
    const cookie = ([] as string[])
      .concat(done.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith(`${SESSION_COOKIE}=`))!
      .split(';')[0];
    const after = await request(server(app)).get('/account/password').set('cookie', cookie);
    expect(after.text).toContain('Password changed');
    await session(app, email, NEW_PASSWORD);
  });
});
