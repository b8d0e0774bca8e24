import { http } from '../support/auth';
import type { INestApplication } from '@nestjs/common';
import type { App } from 'supertest/types';
import { PipelineQueues } from '../../src/queues/pipeline-queues';
import { JOB_NAMES, MAINTENANCE_JOB_OPTIONS, QUEUE_NAMES } from '../../src/queues/queue-names';
import { DisposableRedis, freePort } from '../support/redis-server';
import { createTestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

describe('Redis outage', () => {
  let app: INestApplication<App>;
  let redis: DisposableRedis;
  const savedUrl = process.env.REDIS_URL;

  beforeAll(async () => {
    redis = new DisposableRedis(await freePort());
    await redis.start();
    process.env.REDIS_URL = redis.url;
    app = await createTestApp();
  });
  afterAll(async () => {
    await redis.start().catch(() => undefined);
    await app.close();
    await redis.stop();
    process.env.REDIS_URL = savedUrl;
  });

  it('reports 503 naming redis while it is down, and the worker resumes when it returns', async () => {
    const queues = app.get(PipelineQueues);
    const before = await queues
      .queue(QUEUE_NAMES.maintenance)
      .add(JOB_NAMES.heartbeat, {}, MAINTENANCE_JOB_OPTIONS);
    await waitFor(
      'the first heartbeat',
      async () => (await before.isCompleted()) || undefined,
      15000,
    );

    await redis.stop();
    const started = Date.now();
    const down = await http(app).get('/health');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(down.status).toBe(503);
    expect(down.body.error).toHaveProperty('redis');
    expect(down.body.error.redis.status).toBe('down');
    expect(down.body.details.postgres.status).toBe('up');

    await redis.start(); // same port, empty data: like a restart without persistence
    await waitFor(
      'health to recover',
      async () => (await http(app).get('/health')).status === 200,
      20000,
      250,
    );

    const after = await queues
      .queue(QUEUE_NAMES.maintenance)
      .add(JOB_NAMES.heartbeat, {}, MAINTENANCE_JOB_OPTIONS);
    const result = await waitFor(
      'a job enqueued after the restart to be processed by the same worker',
      async () =>
        (await after.isCompleted())
          ? ((await queues.queue(QUEUE_NAMES.maintenance).getJob(after.id!))
              ?.returnvalue as unknown)
          : undefined,
      30000,
      200,
    );
    expect(result).toMatchObject({ pid: process.pid });
  });
});
