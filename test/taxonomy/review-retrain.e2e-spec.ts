import { http, keyOf } from '../support/auth';
import type { INestApplication } from '@nestjs/common';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { runTaggerRetrain } from '../../src/cli/tagger.commands';
import { createTestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { upload, waitForBatch } from '../support/batches';
import {
  csvOf,
  insightsOf,
  resetBank,
  searchDocument,
  type StoredInsight,
} from './taxonomy-support';

interface EventBody {
  actor: string;
  action: string;
  theme: string | null;
  before: unknown;
  after: unknown;
}

describe('reviewing tags and retraining from the reviews', () => {
  let app: INestApplication<App>;
  const api = () => http(app);

  async function importRows(name: string, comments: string[]): Promise<StoredInsight[]> {
    const res = await upload(app, csvOf([['comment'], ...comments.map((c) => [c])]), name);
    const batch = await waitForBatch(app, (res.body as { id: string }).id);
    expect(batch.counts.accepted).toBe(comments.length);
    return insightsOf(app, batch.id);
  }

  beforeAll(async () => {
    app = await createTestApp();
    await resetBank(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('accepting, rejecting and adding tags updates the insight and leaves tag events', async () => {
    const [rude, food] = await importRows('review.csv', [
      'The receptionist was rude and the car park was full',
      'The hospital food was cold and the ward was dirty',
    ]);
    expect(rude.theme_codes).toEqual(expect.arrayContaining(['staff_manner', 'parking']));
    const ruleTag = rude.themes.find((t) => t.code === 'staff_manner');
    expect(ruleTag?.provenance).toBe('rule');

    // Each reviewer is a key of its own role; tag events name the key that made the change.
    const as = (role: 'moderator' | 'analyst') => ({
      authorization: `Bearer ${keyOf(app, role)}`,
    });
    const label = (role: 'admin' | 'moderator' | 'analyst') =>
      `key:${keyOf(app, role).slice(0, 'ib_00000000'.length)}`;
    const accepted = await api()
      .post(`/api/v1/insights/${rude.id}/tags`)
      .set(as('moderator'))
      .send({ action: 'accept', theme: 'staff_manner' })
      .expect(201);
    expect(accepted.body).toMatchObject({ id: rude.id });
    await api()
      .post(`/api/v1/insights/${rude.id}/tags`)
      .set(as('moderator'))
      .send({ action: 'reject', theme: 'parking' })
      .expect(201);
    await api()
      .post(`/api/v1/insights/${rude.id}/tags`)
      .send({ action: 'add', theme: 'dignity_and_respect' })
      .expect(201);
    await api()
      .patch(`/api/v1/insights/${rude.id}/sentiment`)
      .set(as('analyst'))
      .send({ sentiment: 'very_negative' })
      .expect(200);

    const [stored] = (await insightsOf(app)).filter((i) => i.id === rude.id);
    expect(stored.themes).toContainEqual({
      code: 'staff_manner',
      provenance: 'human',
      confidence: 1,
    });
    expect(stored.themes).toContainEqual({
      code: 'dignity_and_respect',
      provenance: 'human',
      confidence: 1,
    });
    expect(stored.theme_codes).not.toContain('parking');
    expect(stored.sentiment).toBe('very_negative');

    const events = (await api().get(`/api/v1/insights/${rude.id}/tag-events`).expect(200))
      .body as EventBody[];
    expect(events.map((e) => [e.action, e.theme, e.actor])).toEqual([
      ['accept', 'staff_manner', label('moderator')],
      ['reject', 'parking', label('moderator')],
      ['add', 'dignity_and_respect', label('admin')],
      ['sentiment', null, label('analyst')],
    ]);
    expect(events[1].before).toContainEqual(expect.objectContaining({ code: 'parking' }));
    expect(events[1].after).not.toContainEqual(expect.objectContaining({ code: 'parking' }));
    expect(events[3]).toMatchObject({ after: { sentiment: 'very_negative' } });

    const doc = await waitFor('the search document to follow the review', async () => {
      const d = await searchDocument(app, rude.id);
      return d && d.themeCodes.includes('dignity_and_respect') && !d.themeCodes.includes('parking')
        ? d
        : undefined;
    });
    expect(doc.themeCodes).toContain('staff_manner');

    // A re-tag must not bring the rejected theme back, while it does tag other insights.
    await api()
      .patch('/api/v1/taxonomy/parking')
      .send({ lexicon: { phrases: ['car park', 'parking', 'ward was dirty'] } })
      .expect(200);
    await waitFor('the re-tag to reach the second insight', async () => {
      const rows = await insightsOf(app);
      return rows.find((r) => r.id === food.id)?.theme_codes.includes('parking');
    });
    const [again] = (await insightsOf(app)).filter((i) => i.id === rude.id);
    expect(again.theme_codes).not.toContain('parking');
    expect(again.themes).toContainEqual({
      code: 'staff_manner',
      provenance: 'human',
      confidence: 1,
    });
  });

  it.each([
    [
      'an unknown action',
      { action: 'approve', theme: 'parking' },
      400,
      'action must be one of accept, reject, add',
    ],
    [
      'a theme that does not exist',
      { action: 'add', theme: 'no_such_theme' },
      400,
      'theme: no_such_theme is not an active theme',
    ],
    [
      'accepting a theme the insight does not carry',
      { action: 'accept', theme: 'maternity' },
      409,
      'Theme maternity is not on insight',
    ],
  ])('refuses %s', async (_n, body, status, message) => {
    const [any] = await insightsOf(app);
    const res = await api().post(`/api/v1/insights/${any.id}/tags`).send(body).expect(status);
    expect(String((res.body as { message: string | string[] }).message)).toContain(message);
  });

  it('answers 404 for an unknown insight and 400 for a sentiment off the scale', async () => {
    await api()
      .post('/api/v1/insights/7b0d5e1e-0000-4000-8000-000000000000/tags')
      .send({ action: 'add', theme: 'parking' })
      .expect(404);
    await api().get('/api/v1/insights/not-a-uuid/tag-events').expect(404);
    const [any] = await insightsOf(app);
    const res = await api()
      .patch(`/api/v1/insights/${any.id}/sentiment`)
      .send({ sentiment: 'meh' })
      .expect(400);
    expect(String((res.body as { message: string }).message)).toContain('sentiment must be one of');
  });

  it('a retrain on reviewed insights makes a new model version that tags the next import', async () => {
    const wibble = Array.from(
      { length: 10 },
      (_, i) => `The wibble sprocket number ${i} stopped again`,
    );
    const wobble = Array.from({ length: 10 }, (_, i) => `Gloopy wobble flan serving ${i} was odd`);
    const rows = await importRows('to-review.csv', [...wibble, ...wobble]);
    for (const r of rows) {
      const theme = r.text.includes('wibble') ? 'digital_access' : 'food_and_drink';
      await api().post(`/api/v1/insights/${r.id}/tags`).send({ action: 'add', theme }).expect(201);
    }

    const lines: string[] = [];
    const first = await runTaggerRetrain(app, 'kent-themes', (l) => lines.push(l));
    expect(first.version).toBe(1);
    expect(lines[0]).toMatch(/^Trained model kent-themes v1 on \d+ rows/);
    const second = await runTaggerRetrain(app, 'kent-themes', () => undefined);
    expect(second.version).toBe(2);
    const models = await app
      .get(DataSource)
      .query<Array<{ version: number; active: boolean; trained_on: string }>>(
        `SELECT version, active, trained_on FROM tagger_model WHERE name = 'kent-themes' ORDER BY version`,
      );
    expect(models).toEqual([
      { version: 1, active: false, trained_on: 'reviewed insights' },
      { version: 2, active: true, trained_on: 'reviewed insights' },
    ]);

    const [fresh] = await importRows('after-retrain.csv', [
      'Another wibble sprocket stopped today',
    ]);
    expect(fresh.themes).toContainEqual(
      expect.objectContaining({ code: 'digital_access', provenance: 'model' }),
    );
  });

  it('refuses to retrain with too few reviewed themes, saying how many there are', async () => {
    await app.get(DataSource).query('TRUNCATE tag_event');
    await expect(runTaggerRetrain(app, 'kent-themes', () => undefined)).rejects.toThrow(
      'found 0 insights, 0 themes',
    );
  });
});
