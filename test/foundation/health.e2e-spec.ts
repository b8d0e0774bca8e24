import { http } from '../support/auth';
import type { INestApplication } from '@nestjs/common';
import type { App } from 'supertest/types';
import { createTestApp } from '../support/test-app';

describe('health and API docs (real PostgreSQL, Redis, Meilisearch)', () => {
  let app: INestApplication<App>;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('reports postgres, redis and meilisearch up', async () => {
    const res = await http(app).get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.details).toEqual({
      postgres: { status: 'up' },
      redis: { status: 'up' },
      meilisearch: { status: 'up' },
    });
  });

  it('serves the OpenAPI document at /api/docs', async () => {
    const json = await http(app).get('/api/docs-json').expect(200);
    expect(json.body.info.title).toBe('Insight Bank API');
    expect(Object.keys(json.body.paths)).toContain('/health');
    const html = await http(app).get('/api/docs').expect(200);
    expect(html.text).toContain('swagger');
  });

  it('answers unknown routes with the standard error body', async () => {
    const res = await http(app).get('/no-such-route').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'not_found' });
  });
});
