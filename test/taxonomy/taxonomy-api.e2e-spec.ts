import { http } from '../support/auth';
import type { INestApplication } from '@nestjs/common';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { createTestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { upload, waitForBatch } from '../support/batches';
import { csvOf, insightsOf, resetBank, searchDocument } from './taxonomy-support';

interface Node {
  code: string;
  name: string;
  active: boolean;
  parentCode: string | null;
  children: Node[];
}

describe('taxonomy API and background re-tagging', () => {
  let app: INestApplication<App>;
  const api = () => http(app);

  beforeAll(async () => {
    app = await createTestApp();
    await resetBank(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('serves the seeded default taxonomy as a tree', async () => {
    const res = await api().get('/api/v1/taxonomy').expect(200);
    const body = res.body as { version: number; themes: Node[] };
    expect(body.version).toBe(1);
    const location = body.themes.find((t) => t.code === 'location_and_transport');
    expect(location?.children.map((c) => c.code).sort()).toEqual([
      'parking',
      'service_location',
      'transport_to_services',
    ]);
    const one = await api().get('/api/v1/taxonomy/parking').expect(200);
    expect(one.body).toMatchObject({
      code: 'parking',
      parentCode: 'location_and_transport',
      active: true,
    });
    const missing = await api().get('/api/v1/taxonomy/no_such_theme').expect(404);
    expect((missing.body as { message: string }).message).toContain('no_such_theme');
  });

  it('creates, changes and deactivates themes, each a new taxonomy version', async () => {
    const created = await api()
      .post('/api/v1/taxonomy')
      .send({
        code: 'blue_badge',
        name: 'Blue badge bays',
        parentCode: 'location_and_transport',
        kind: 'sub_theme',
        lexicon: { phrases: ['blue badge'] },
      })
      .expect(201);
    expect(created.body).toMatchObject({ code: 'blue_badge', active: true, version: 2 });

    const renamed = await api()
      .patch('/api/v1/taxonomy/blue_badge')
      .send({ name: 'Disabled parking bays' })
      .expect(200);
    expect(renamed.body).toMatchObject({ name: 'Disabled parking bays', version: 3 });

    const gone = await api().delete('/api/v1/taxonomy/blue_badge').expect(200);
    expect(gone.body).toMatchObject({ active: false, version: 4 });
    const tree = (await api().get('/api/v1/taxonomy').expect(200)).body as { version: number };
    expect(tree.version).toBe(4);
  });

  it.each([
    [
      'a bad code',
      { code: 'Bad Code', name: 'x', kind: 'category' },
      400,
      'code must be a lower-case slug',
    ],
    [
      'a missing name',
      { code: 'no_name', kind: 'category' },
      400,
      'name must be 1 to 200 characters',
    ],
    ['an unknown kind', { code: 'odd', name: 'Odd', kind: 'tag' }, 400, 'kind must be one of'],
    [
      'phrases that are not text',
      { code: 'odd', name: 'Odd', kind: 'category', lexicon: { phrases: [1] } },
      400,
      'lexicon.phrases must hold text only',
    ],
    [
      'an unknown parent',
      { code: 'orphan', name: 'Orphan', kind: 'sub_theme', parentCode: 'nowhere' },
      400,
      'unknown parent "nowhere"',
    ],
    [
      'a taken code',
      { code: 'parking', name: 'Parking again', kind: 'category' },
      409,
      'Theme parking already exists',
    ],
  ])('refuses %s', async (_name, body, status, message) => {
    const res = await api().post('/api/v1/taxonomy').send(body).expect(status);
    expect(String((res.body as { message: string | string[] }).message)).toContain(message);
  });

  it('refuses a cycle, and deactivating a theme with active sub-themes', async () => {
    await api()
      .post('/api/v1/taxonomy')
      .send({ code: 'cycle_top', name: 'Top', kind: 'strategy' })
      .expect(201);
    await api()
      .post('/api/v1/taxonomy')
      .send({ code: 'cycle_child', name: 'Child', kind: 'strategy', parentCode: 'cycle_top' })
      .expect(201);
    const cycle = await api()
      .patch('/api/v1/taxonomy/cycle_top')
      .send({ parentCode: 'cycle_child' })
      .expect(400);
    expect((cycle.body as { message: string }).message).toContain('cycle in parents');

    const busy = await api().delete('/api/v1/taxonomy/location_and_transport').expect(409);
    expect((busy.body as { message: string }).message).toContain('parking');
    const stillActive = await api().get('/api/v1/taxonomy/location_and_transport').expect(200);
    expect((stillActive.body as Node).active).toBe(true);
  });

  it('re-tags affected insights in the background, keeps human tags, and the search index follows', async () => {
    const res = await upload(
      app,
      csvOf([
        ['comment'],
        ['The zebra crossing outside the surgery is dangerous'],
        ['Nobody helps you across the zebra crossing by the hospital'],
        ['The nurse was kind and explained everything'],
      ]),
      'crossings.csv',
    );
    const batch = await waitForBatch(app, (res.body as { id: string }).id);
    expect(batch.counts.indexed).toBe(3);
    const [first, second, third] = await insightsOf(app, batch.id);
    expect(first.theme_codes).not.toContain('road_safety');

    await api()
      .post(`/api/v1/insights/${second.id}/tags`)
      .send({ action: 'add', theme: 'transport' })
      .expect(201);

    await api()
      .post('/api/v1/taxonomy')
      .send({
        code: 'road_safety',
        name: 'Road safety',
        kind: 'strategy',
        lexicon: { phrases: ['zebra crossing'] },
      })
      .expect(201);

    const after = await waitFor('the re-tag job to tag the crossings', async () => {
      const rows = await insightsOf(app, batch.id);
      return rows[0].theme_codes.includes('road_safety') &&
        rows[1].theme_codes.includes('road_safety')
        ? rows
        : undefined;
    });
    expect(after[0].themes.find((t) => t.code === 'road_safety')?.provenance).toBe('rule');
    expect(after[1].themes).toContainEqual({
      code: 'transport',
      provenance: 'human',
      confidence: 1,
    });
    expect(after[2].theme_codes).toEqual(third.theme_codes);

    const doc = await waitFor('the search document to carry the new theme', async () => {
      const d = await searchDocument(app, first.id);
      return d?.themeCodes.includes('road_safety') ? d : undefined;
    });
    expect(doc.themeCodes).toContain('road_safety');
    expect(doc.themeNames).toContain('Road safety'); // named from the live taxonomy, not only coded
    await waitFor('the index outbox to drain', async () => {
      const [{ n }] = await app
        .get(DataSource)
        .query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM index_outbox');
      return n === 0;
    });
    const secondDoc = await searchDocument(app, second.id);
    expect(secondDoc?.themeCodes).toEqual(expect.arrayContaining(['road_safety', 'transport']));
  });
});
