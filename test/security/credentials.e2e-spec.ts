import type { INestApplication } from '@nestjs/common';
import { randomBytes, randomInt } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { Logger } from 'nestjs-pino';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { SIGN_IN_FAILED } from '../../src/access/auth.controller';
import { IdentityService, LOCKOUT_MS } from '../../src/access/identity.service';
import { AccessRedis } from '../../src/access/access-redis';
import { SESSION_COOKIE } from '../../src/access/http-security';
import { logTarget } from '../../src/common/logger';
import { http, keyFor, keyOf, TEST_ICB } from '../support/auth';
import { createTestApp, truncateAll } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const PASSWORD = 'correct horse battery staple';

function server(app: INestApplication): App {
  return (app as INestApplication<App>).getHttpServer();
}

function newEmail(tag: string): string {
  return `${tag}-${randomBytes(4).toString('hex')}@example.org`;
}

async function newUser(app: INestApplication, tag: string, role = 'analyst'): Promise<string> {
  const email = newEmail(tag);
  await app
    .get(IdentityService, { strict: false })
    .createUser({ email, role, organisation: TEST_ICB, password: PASSWORD });
  return email;
}

function signIn(app: INestApplication, email: string, password: string, ip?: string) {
  const t = request(server(app)).post('/api/v1/auth/sign-in').send({ email, password });
  return ip ? t.set('x-forwarded-for', ip) : t;
}

/** The session cookie (name=value) a response set, and its attributes as written. */
function sessionCookie(res: request.Response): { pair: string; raw: string } {
  const all = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const raw = all.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!raw) throw new Error(`no ${SESSION_COOKIE} cookie in ${JSON.stringify(all)}`);
  return { pair: raw.split(';')[0], raw };
}

/** Sets environment variables for an app made after this call; the returned function puts them back. */
function setEnv(values: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  Object.assign(process.env, values);
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

function randomIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

describe('credentials and HTTP hardening', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp('api');
    await truncateAll(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  describe('passwords', () => {
    it('locks an account after five wrong passwords: the right one then fails for 15 minutes', async () => {
      const email = await newUser(app, 'lockout');
      for (let i = 0; i < 5; i++) {
        const res = await signIn(app, email, 'wrong password, guess ' + i);
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ code: 'unauthorized', message: SIGN_IN_FAILED });
      }
      const locked = await signIn(app, email, PASSWORD);
      expect(locked.status).toBe(401);
      expect(locked.body).toMatchObject({ message: SIGN_IN_FAILED });
      expect(locked.headers['set-cookie'] ?? []).not.toEqual(
        expect.arrayContaining([expect.stringContaining(SESSION_COOKIE)]),
      );

      const ds = app.get(DataSource);
      const [row] = await ds.query<Array<{ locked_until: Date }>>(
        `SELECT locked_until FROM app_user WHERE email = $1`,
        [email],
      );
      const remaining = row.locked_until.getTime() - Date.now();
      expect(remaining).toBeGreaterThan(LOCKOUT_MS - 60_000);
      expect(remaining).toBeLessThanOrEqual(LOCKOUT_MS);
      expect(LOCKOUT_MS).toBe(15 * 60 * 1000);

      // Fifteen minutes later (the lock moved into the past) the right password works again.
      await ds.query(
        `UPDATE app_user SET locked_until = now() - interval '1 second' WHERE email = $1`,
        [email],
      );
      expect((await signIn(app, email, PASSWORD)).status).toBe(200);
    });

    it('answers an unknown email exactly like a wrong password', async () => {
      const email = await newUser(app, 'known');
      const wrong = await signIn(app, email, 'not the password at all');
      const unknown = await signIn(app, newEmail('nobody'), 'not the password at all');
      expect(unknown.status).toBe(wrong.status);
      expect(unknown.body).toEqual(wrong.body);
    });
  });

  describe('API keys', () => {
    it('refuses a revoked key with 401, whichever header carries it', async () => {
      const key = await keyFor(app, 'analyst', TEST_ICB);
      expect((await http(app, key).get('/api/v1/auth/me')).status).toBe(200);
      await app.get(IdentityService, { strict: false }).revokeKey(key.slice(0, 11));
      const bearer = await http(app, key).get('/api/v1/auth/me');
      expect(bearer.status).toBe(401);
      expect(bearer.body).toMatchObject({ message: 'The API key has been revoked' });
      const header = await request(server(app)).get('/api/v1/auth/me').set('x-api-key', key);
      expect(header.status).toBe(401);
    });

    it('the api reads a key from the database once, not on every request', async () => {
      const identity = app.get(IdentityService, { strict: false });
      const k = await identity.createKey({ organisation: TEST_ICB, role: 'analyst' });
      expect((await http(app, k.key).get('/api/v1/auth/me')).body).toMatchObject({
        role: 'analyst',
      });
      // A change made behind the api's back (not through revocation) is not read again at once…
      await app.get(DataSource).query(`UPDATE api_key SET role = 'partner' WHERE id = $1`, [k.id]);
      expect((await http(app, k.key).get('/api/v1/auth/me')).body).toMatchObject({
        role: 'analyst',
      });
      // …while a revocation is.
      await identity.revokeKey(k.prefix);
      expect((await http(app, k.key).get('/api/v1/auth/me')).status).toBe(401);
    });

    it('refuses an expired key with 401, though the api has it in memory', async () => {
      const identity = app.get(IdentityService, { strict: false });
      const k = await identity.createKey({
        organisation: TEST_ICB,
        role: 'commissioner',
        expires: new Date(Date.now() + 1_500),
      });
      expect((await http(app, k.key).get('/api/v1/insights/search')).status).toBe(200);
      await new Promise((r) =>
        setTimeout(r, Math.max(0, k.expiresAt!.getTime() - Date.now() + 50)),
      );
      const res = await http(app, k.key).get('/api/v1/insights/search');
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ message: 'The API key has expired' });
    });

    it('refuses malformed keys and keys with a wrong secret with 401', async () => {
      const good = keyOf(app, 'admin');
      const wrongSecret = `${good.slice(0, 12)}${'A'.repeat(good.length - 12)}`;
      const cases: Array<[string, string]> = [
        ['not-a-key', 'The API key is not an Insight Bank API key'],
        [`${good}x`, 'The API key is not an Insight Bank API key'],
        [wrongSecret, 'The API key is not valid'],
        [`ib_00000000_${'A'.repeat(43)}`, 'The API key is not valid'],
      ];
      for (const [key, message] of cases) {
        const res = await http(app, key).get('/api/v1/auth/me');
        expect({
          key,
          status: res.status,
          message: (res.body as { message: string }).message,
        }).toEqual({ key, status: 401, message });
      }
    });

    it('a key never falls back to the session: a bad key with a good cookie is still 401', async () => {
      const email = await newUser(app, 'fallback');
      const cookie = sessionCookie(await signIn(app, email, PASSWORD)).pair;
      const res = await request(server(app))
        .get('/api/v1/auth/me')
        .set('cookie', cookie)
        .set('authorization', 'Bearer not-a-key');
      expect(res.status).toBe(401);
    });
  });

  describe('sessions and CSRF', () => {
    it('sets an HttpOnly, SameSite=Lax session cookie and a new session id at sign-in', async () => {
      const email = await newUser(app, 'cookie');
      const before = await request(server(app)).get('/api/v1/auth/session');
      const anonymous = sessionCookie(before);
      const res = await signIn(app, email, PASSWORD).set('cookie', anonymous.pair);
      expect(res.status).toBe(200);
      const signedIn = sessionCookie(res);
      expect(signedIn.raw).toMatch(/;\s*HttpOnly/i);
      expect(signedIn.raw).toMatch(/;\s*SameSite=Lax/i);
      expect(signedIn.raw).toMatch(/;\s*Path=\//i);
      expect(signedIn.pair).not.toBe(anonymous.pair); // no session fixation
      const me = await request(server(app)).get('/api/v1/auth/me').set('cookie', signedIn.pair);
      expect(me.body).toMatchObject({ kind: 'user', label: email, role: 'analyst' });
    });

    it('refuses a cookie-authenticated change without the CSRF token, and accepts it with one', async () => {
      const email = await newUser(app, 'csrf');
      const cookie = sessionCookie(await signIn(app, email, PASSWORD)).pair;
      const session = await request(server(app)).get('/api/v1/auth/session').set('cookie', cookie);
      const token = (session.body as { csrfToken: string }).csrfToken;
      expect(token).toMatch(/.{16,}/);

      const none = await request(server(app)).post('/api/v1/auth/sign-out').set('cookie', cookie);
      expect(none.status).toBe(403);
      expect(none.body).toMatchObject({ code: 'forbidden', message: /CSRF token/ });
      const wrong = await request(server(app))
        .post('/api/v1/auth/sign-out')
        .set('cookie', cookie)
        .set('x-csrf-token', `${token}x`);
      expect(wrong.status).toBe(403);

      // A token from another person's session is no good either.
      const other = sessionCookie(await signIn(app, await newUser(app, 'other'), PASSWORD)).pair;
      const otherToken = (
        (await request(server(app)).get('/api/v1/auth/session').set('cookie', other)).body as {
          csrfToken: string;
        }
      ).csrfToken;
      const crossed = await request(server(app))
        .post('/api/v1/auth/sign-out')
        .set('cookie', cookie)
        .set('x-csrf-token', otherToken);
      expect(crossed.status).toBe(403);

      // Still signed in: none of the refused requests reached the route.
      expect((await request(server(app)).get('/api/v1/auth/me').set('cookie', cookie)).status).toBe(
        200,
      );
      const ok = await request(server(app))
        .post('/api/v1/auth/sign-out')
        .set('cookie', cookie)
        .set('x-csrf-token', token);
      expect(ok.status).toBe(200);
      expect(ok.headers['clear-site-data']).toBe('"cache", "storage"');
      expect((await request(server(app)).get('/api/v1/auth/me').set('cookie', cookie)).status).toBe(
        401,
      );
    });

    it('ends a session SESSION_MAX_HOURS after sign-in, however active, and removes it from Redis', async () => {
      const cookie = sessionCookie(await signIn(app, await newUser(app, 'old'), PASSWORD)).pair;
      expect((await request(server(app)).get('/api/v1/auth/me').set('cookie', cookie)).status).toBe(
        200,
      );
      const value = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
      const sid = value.slice(2, value.lastIndexOf('.'));
      const redis = app.get(AccessRedis, { strict: false });
      const key = `${redis.prefix}sess:${sid}`;
      // The idle timeout is the key's lifetime in Redis, renewed by each request.
      const ttl = await redis.client.ttl(key);
      expect(ttl).toBeGreaterThan(60 * 60 - 30);
      expect(ttl).toBeLessThanOrEqual(60 * 60);
      const stored = JSON.parse((await redis.client.get(key))!) as { signedInAt: number };
      stored.signedInAt = Date.now() - 12 * 3_600_000 - 1000;
      await redis.client.set(key, JSON.stringify(stored), 'EX', 600);
      expect((await request(server(app)).get('/api/v1/auth/me').set('cookie', cookie)).status).toBe(
        401,
      );
      expect(await redis.client.exists(key)).toBe(0);
    });

    it('ends the sessions of an account as soon as it is disabled', async () => {
      const email = await newUser(app, 'leaver');
      const cookie = sessionCookie(await signIn(app, email, PASSWORD)).pair;
      expect((await request(server(app)).get('/api/v1/auth/me').set('cookie', cookie)).status).toBe(
        200,
      );
      await app.get(IdentityService, { strict: false }).setUserDisabled(email, true);
      expect((await request(server(app)).get('/api/v1/auth/me').set('cookie', cookie)).status).toBe(
        401,
      );
      expect((await signIn(app, email, PASSWORD)).status).toBe(401);
    });

    it('accepts the token as the _csrf field of a form post', async () => {
      const cookie = sessionCookie(await signIn(app, await newUser(app, 'form'), PASSWORD)).pair;
      const token = (
        (await request(server(app)).get('/api/v1/auth/session').set('cookie', cookie)).body as {
          csrfToken: string;
        }
      ).csrfToken;
      const res = await request(server(app))
        .post('/api/v1/auth/sign-out')
        .set('cookie', cookie)
        .type('form')
        .send({ _csrf: token });
      expect(res.status).toBe(200);
    });

    it('API-key callers send no cookie and need no token', async () => {
      const res = await http(app, keyOf(app, 'moderator'))
        .post('/api/v1/taxonomy')
        .send({ code: 'csrf-free', name: 'Sent with a key', parent: null });
      expect(res.status).not.toBe(403);
    });
  });

  describe('HTTP hardening', () => {
    const expectSecurityHeaders = (res: request.Response) => {
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
    };

    it('sends the security headers on pages, API answers and errors, and no X-Powered-By', async () => {
      expectSecurityHeaders(await request(server(app)).get('/health'));
      expectSecurityHeaders(await http(app).get('/api/v1/insights/search'));
      expectSecurityHeaders(await request(server(app)).get('/api/v1/insights/search'));
      expectSecurityHeaders(await request(server(app)).get('/no/such/page'));
      expectSecurityHeaders(await request(server(app)).get('/api/docs'));
      const page = await request(server(app)).get('/sign-in');
      expect(page.type).toBe('text/html');
      expectSecurityHeaders(page);
      expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
      expect(String(page.headers['content-security-policy'])).not.toMatch(
        /script-src[^;]*unsafe-inline/,
      );
    });

    it('lets no cache keep an answer (comments are personal data); static assets are cached', async () => {
      const answers: Array<[string, request.Test]> = [
        ['search', http(app).get('/api/v1/insights/search')],
        ['export', http(app).get('/api/v1/insights/export').query({ format: 'csv' })],
        ['batches', http(app).get('/api/v1/batches')],
        ['anonymous 401', request(server(app)).get('/api/v1/insights/search')],
        ['sign-in page', request(server(app)).get('/sign-in')],
        ['search page', http(app).get('/search')],
      ];
      for (const [what, call] of answers) {
        const res = await call;
        expect({ what, cache: res.headers['cache-control'] }).toEqual({ what, cache: 'no-store' });
      }
      const download = await http(app).get('/api/v1/insights/export').query({ format: 'csv' });
      expect(download.headers['content-disposition']).toMatch(/^attachment; filename="[\w.-]+"$/);
      const asset = await request(server(app)).get('/assets/nhsuk/nhsuk-frontend.min.css');
      expect(asset.status).toBe(200);
      expect(asset.headers['cache-control']).toMatch(/max-age=[1-9]/);
    });

    it('allows no other site to read answers (no CORS headers, whatever the Origin)', async () => {
      const res = await http(app)
        .get('/api/v1/insights/search')
        .set('origin', 'https://elsewhere.example');
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await request(server(app))
        .options('/api/v1/insights/search')
        .set('origin', 'https://elsewhere.example')
        .set('access-control-request-method', 'GET')
        .set('access-control-request-headers', 'authorization');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-headers']).toBeUndefined();
    });

    it('does not answer TRACE', async () => {
      const res = await request(server(app))
        .trace('/health')
        .set('authorization', `Bearer ${keyOf(app)}`);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain(keyOf(app));
    });

    it('refuses a JSON body over the limit with 413 before it reaches a route', async () => {
      const big = { code: 'too-big', name: 'x'.repeat(200 * 1024) };
      const res = await http(app, keyOf(app, 'moderator')).post('/api/v1/taxonomy').send(big);
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ statusCode: 413, code: 'payload_too_large' });
      const form = await request(server(app))
        .post('/api/v1/auth/sign-in')
        .type('form')
        .send({ email: 'a@b.c', password: 'p'.repeat(200 * 1024) });
      expect(form.status).toBe(413);
    });

    it('never sends the Meilisearch master key: health, API document, docs page and errors', async () => {
      const masterKey = process.env.MEILI_MASTER_KEY;
      expect(masterKey && masterKey.length >= 16).toBe(true);
      const answers = await Promise.all([
        request(server(app)).get('/health'),
        http(app).get('/health'),
        request(server(app)).get('/api/docs-json'),
        request(server(app)).get('/api/docs-yaml'),
        request(server(app)).get('/api/docs'),
        http(app).get('/api/v1/insights/search').query({ organisation: 'x" OR 1=1' }),
        http(app).get('/api/v1/insights/search').query({ sort: 'nonsense' }),
        http(app).get('/api/v1/insights/search').query({ q: 'x', facets: 'text' }),
        http(app).get('/api/v1/insights/summary').query({ dateFrom: '2024-13-45' }),
        http(app).get('/api/v1/insights/export').query({ format: 'pdf' }),
        http(app).get(`/api/v1/insights/${'0'.repeat(36)}`),
        http(app).get('/api/v1/auth/me'),
        request(server(app)).get('/api/v1/auth/session'),
      ]);
      for (const res of answers) {
        const text = `${JSON.stringify(res.headers)}\n${res.text ?? ''}`;
        expect(text).not.toContain(masterKey);
      }
      expect(answers[0].status).toBe(200);
      expect(answers[2].status).toBe(200);
    });
  });

  describe('logs', () => {
    let logged = '';
    let logApp: INestApplication;
    const saved = { stream: logTarget.stream, level: logTarget.level };

    beforeAll(async () => {
      const sink = new PassThrough();
      sink.on('data', (c: Buffer) => (logged += c.toString('utf8')));
      logTarget.stream = sink;
      logTarget.level = 'trace';
      logApp = await createTestApp('api');
      logApp.useLogger(logApp.get(Logger));
    });
    afterAll(async () => {
      logTarget.stream = saved.stream;
      logTarget.level = saved.level;
      await logApp?.close();
    });

    it('hold no key, password, cookie, CSRF token or search text, even at trace level', async () => {
      const key = keyOf(logApp, 'analyst');
      const email = await newUser(logApp, 'logs');
      const signedIn = await signIn(logApp, email, PASSWORD);
      const cookie = sessionCookie(signedIn).pair;
      const token = (signedIn.body as { csrfToken: string }).csrfToken;
      await signIn(logApp, email, 'a wrong password that must not be logged');
      const term = `needle${randomBytes(6).toString('hex')}`;
      await http(logApp, key).get('/api/v1/insights/search').query({ q: term });
      await request(server(logApp))
        .get('/api/v1/insights/search')
        .query({ q: term })
        .set('x-api-key', key);
      await request(server(logApp)).get('/api/v1/auth/me').set('cookie', cookie);
      await request(server(logApp))
        .post('/api/v1/auth/sign-out')
        .set('cookie', cookie)
        .set('x-csrf-token', token);
      await http(logApp, key).get(`/api/v1/insights/search?organisation=${term}`);
      await http(logApp, `${key.slice(0, 12)}wrong`).get('/api/v1/auth/me');
      const partner = keyOf(logApp, 'partner');
      await http(logApp, partner).get('/api/v1/audit');

      // A request's log line is written when its response has finished, just after it answers.
      await waitFor('the log line of the last request', () =>
        Promise.resolve(
          logged
            .split('\n')
            .some((l) => l.includes('"path":"/api/v1/audit"') && l.includes('"responseTime"')),
        ),
      );
      expect(logged).toContain('/api/v1/insights/search'); // requests were logged at all
      // A refused request is a security event: who, why, where.
      const refusals = logged
        .split('\n')
        .filter((l) => l.includes('"access_refused"'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(refusals).toContainEqual(
        expect.objectContaining({
          reason: 'lacks audit.read',
          actor: `key:${partner.slice(0, 11)}`,
          path: '/api/v1/audit',
        }),
      );
      expect(refusals.length).toBeGreaterThanOrEqual(2);
      for (const secret of [
        key,
        key.slice(12), // the secret part alone
        partner.slice(12),
        PASSWORD,
        'a wrong password that must not be logged',
        cookie.split('=')[1],
        token,
        term,
      ])
        expect(logged).not.toContain(secret);
    });
  });
});

describe('the session cookie over HTTPS', () => {
  let app: INestApplication;
  let restore: () => void;

  beforeAll(async () => {
    restore = setEnv({ COOKIE_SECURE: 'true', TRUST_PROXY: 'true' });
    app = await createTestApp('api');
  });
  afterAll(async () => {
    restore();
    await app?.close();
  });

  it('is Secure and named with the __Host- prefix', async () => {
    const email = await newUser(app, 'https');
    const res = await signIn(app, email, PASSWORD).set('x-forwarded-proto', 'https');
    expect(res.status).toBe(200);
    const raw = ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith(`__Host-${SESSION_COOKIE}=`));
    expect(raw).toBeDefined();
    expect(raw).toMatch(/;\s*Secure/i);
    expect(raw).toMatch(/;\s*Path=\/(;|$)/i);
    expect(raw).not.toMatch(/;\s*Domain=/i);
    const me = await request(server(app))
      .get('/api/v1/auth/me')
      .set('x-forwarded-proto', 'https')
      .set('cookie', raw!.split(';')[0]);
    expect(me.status).toBe(200);
  });
});

describe('sign-in limit per address counts failures only', () => {
  let app: INestApplication;
  let restore: () => void;

  beforeAll(async () => {
    restore = setEnv({ SIGN_IN_ATTEMPTS_PER_15_MINUTES: '3', TRUST_PROXY: 'true' });
    app = await createTestApp('api');
  });
  afterAll(async () => {
    restore();
    await app?.close();
  });

  it('answers 429 after SIGN_IN_ATTEMPTS_PER_15_MINUTES attempts from one address, even with the right password', async () => {
    const email = await newUser(app, 'throttle');
    const victim = await newUser(app, 'sprayed');
    const ip = randomIp();
    const webForm = (address: string) =>
      request(server(app))
        .post('/sign-in')
        .set('x-forwarded-for', address)
        .type('form')
        .send({ email: victim, password: 'wrong on the page' });
    // Password spraying: one address, several accounts, the API and the sign-in page all count
    // against one budget.
    expect((await signIn(app, email, 'wrong one', ip)).status).toBe(401);
    expect([400, 401]).toContain((await webForm(ip)).status);
    expect((await signIn(app, victim, 'wrong two', ip)).status).toBe(401);
    expect((await signIn(app, newEmail('ghost'), 'wrong three', ip)).status).toBe(401);
    const blocked = await signIn(app, email, PASSWORD, ip);
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ statusCode: 429, code: 'too_many_requests' });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(60);
    expect((await webForm(ip)).status).toBe(429);
    // Another address is not held up by it.
    expect((await signIn(app, email, PASSWORD, randomIp())).status).toBe(200);
  });

  it('lets an office behind one address sign in all morning: successes do not count', async () => {
    const ip = randomIp();
    const staff = await Promise.all([1, 2, 3, 4, 5].map((i) => newUser(app, `office${i}`)));
    for (let round = 0; round < 3; round++) {
      for (const email of staff) expect((await signIn(app, email, PASSWORD, ip)).status).toBe(200);
    }
    // Two mistakes along the way (under the limit of 3) do not stop the others either.
    expect((await signIn(app, staff[0], 'typo', ip)).status).toBe(401);
    expect((await signIn(app, staff[1], 'typo', ip)).status).toBe(401);
    for (const email of staff) expect((await signIn(app, email, PASSWORD, ip)).status).toBe(200);
    // The third failure uses up the address's budget, for every account.
    expect((await signIn(app, staff[2], 'typo', ip)).status).toBe(401);
    expect((await signIn(app, staff[3], PASSWORD, ip)).status).toBe(429);
  });
});

describe('rate limit per key, held in Redis across api processes', () => {
  let one: INestApplication;
  let two: INestApplication;
  let restore: () => void;

  beforeAll(async () => {
    restore = setEnv({
      RATE_LIMIT_PER_MINUTE: '4',
      // Every api process signs cookies with the same secret, as production is told to.
      SESSION_SECRET: randomBytes(32).toString('hex'),
    });
    one = await createTestApp('api');
    two = await createTestApp('api');
  });
  afterAll(async () => {
    restore();
    await one?.close();
    await two?.close();
  });

  it('counts one key’s requests on every route and every process together, and no one else’s', async () => {
    const key = await keyFor(one, 'commissioner', TEST_ICB);
    const bystander = await keyFor(one, 'commissioner', TEST_ICB);
    const calls = [
      http(one, key).get('/api/v1/insights/search'),
      http(two, key).get('/api/v1/auth/session'),
      http(one, key).get('/api/v1/taxonomy'),
      http(two, key).get('/api/v1/auth/me'),
    ];
    for (const c of calls) expect((await c).status).toBe(200);
    const over = await http(two, key).get('/api/v1/insights/summary');
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ code: 'too_many_requests' });
    expect((await http(one, key).get('/api/v1/insights/search')).status).toBe(429);
    expect((await http(one, bystander).get('/api/v1/insights/search')).status).toBe(200);
  });

  it('counts a signed-in person by account, not by address', async () => {
    const email = await newUser(one, 'ratelimited');
    const cookie = sessionCookie(await signIn(one, email, PASSWORD)).pair;
    for (let i = 0; i < 4; i++)
      expect(
        (
          await request(server(i % 2 ? two : one))
            .get('/api/v1/auth/me')
            .set('cookie', cookie)
        ).status,
      ).toBe(200);
    expect((await request(server(two)).get('/api/v1/auth/me').set('cookie', cookie)).status).toBe(
      429,
    );
    // Health checks are never limited (load balancers poll them).
    for (let i = 0; i < 6; i++)
      expect((await request(server(one)).get('/health')).status).toBe(200);
  });
});
