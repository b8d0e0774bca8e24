import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types';
import { IdentityService } from '../../src/access/identity.service';
import { http, keyOf, TEST_ICB } from '../support/auth';
import { DisposableRedis, freePort } from '../support/redis-server';
import { createTestApp, truncateAll } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const EMAIL = 'redis.down@example.nhs.uk';
const PASSWORD = 'a passphrase for the Redis tests';

/** A 503 upstream_unavailable naming Redis, answered within `withinMs`. */
async function unavailable(t: request.Test, withinMs: number): Promise<request.Response> {
  const started = Date.now();
  const res = await t;
  const took = Date.now() - started;
  expect({ status: res.status, took: took < withinMs }).toEqual({ status: 503, took: true });
  return res;
}

function expectJson503(res: request.Response): void {
  expect(res.body).toMatchObject({ statusCode: 503, code: 'upstream_unavailable' });
  expect((res.body as { message: string }).message).toMatch(/Redis/);
}

describe('signed-in routes while Redis is down', () => {
  let app: INestApplication<App>;
  let redis: DisposableRedis;
  let cookie: string;
  const savedUrl = process.env.REDIS_URL;

  beforeAll(async () => {
    redis = new DisposableRedis(await freePort());
    await redis.start();
    process.env.REDIS_URL = redis.url;
    app = await createTestApp('api');
    await truncateAll(app);
    await app.get(IdentityService).createUser({
      email: EMAIL,
      role: 'analyst',
      organisation: TEST_ICB,
      password: PASSWORD,
    });
  });

  afterAll(async () => {
    await redis.start().catch(() => undefined);
    await app?.close();
    await redis.stop();
    process.env.REDIS_URL = savedUrl;
  });

  beforeEach(async () => {
    await redis.start();
    // Signed in while Redis is up: the session lives in Redis.
    const signIn = await waitFor(
      'sign-in with Redis up',
      async () => {
        const res = await request(app.getHttpServer())
          .post('/api/v1/auth/sign-in')
          .send({ email: EMAIL, password: PASSWORD });
        return res.status === 200 ? res : undefined;
      },
      20000,
      200,
    );
    cookie = signIn.headers['set-cookie'][0].split(';')[0];
  });

  it('answers 503 upstream_unavailable at once when Redis has stopped', async () => {
    await redis.stop();
    const server = app.getHttpServer();
    expectJson503(
      await unavailable(http(app, keyOf(app, 'analyst')).get('/api/v1/insights/search'), 1000),
    );
    expectJson503(await unavailable(http(app).get('/api/v1/auth/me'), 1000));
    expectJson503(
      await unavailable(request(server).get('/api/v1/auth/me').set('cookie', cookie), 1000),
    );
    expectJson503(
      await unavailable(
        request(server).post('/api/v1/auth/sign-in').send({ email: EMAIL, password: PASSWORD }),
        1000,
      ),
    );
    const page = await unavailable(
      request(server).get('/search').set('cookie', cookie).set('accept', 'text/html'),
      1000,
    );
    expect(page.text).toContain('try again');

    await redis.start();
    await waitFor(
      'searches to work again once Redis is back',
      async () =>
        (await http(app, keyOf(app, 'analyst')).get('/api/v1/insights/search')).status === 200,
      20000,
      200,
    );
  });

  it('answers 503 within the command time-out when Redis is up but does not answer', async () => {
    const admin = new (await import('ioredis')).default(redis.url);
    try {
      await admin.call('CLIENT', 'PAUSE', '6000', 'ALL');
      const server = app.getHttpServer();
      expectJson503(
        await unavailable(http(app, keyOf(app, 'analyst')).get('/api/v1/insights/search'), 3000),
      );
      expectJson503(
        await unavailable(request(server).get('/api/v1/auth/me').set('cookie', cookie), 3000),
      );
    } finally {
      admin.disconnect();
    }
  });
});
