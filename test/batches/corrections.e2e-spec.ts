import type { INestApplication } from '@nestjs/common';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { BatchesRepository } from '../../src/batches/batches.repository';
import { FileStore } from '../../src/batches/file-store';
import { EnrichChunkService } from '../../src/enrichment/enrich-chunk.service';
import { http, keyFor, keyOf } from '../support/auth';
import { ensureOrg, upload, waitForBatch, type BatchBody } from '../support/batches';
import { createTestApp, truncateAll } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const OLD_TEXT = 'Parking at the hospital costs far too much money';
const NEW_TEXT = 'The waiting room was dirty and the toilets were broken';

function csv(rows: string[][]): Buffer {
  return Buffer.from(
    rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n') + '\n',
  );
}

interface StoredInsight {
  id: string;
  batch_id: string;
  text: string;
  theme_codes: string[];
  content_hash: string;
  moderation_status: string;
}

/** The upload template promises that a re-upload with the same reference updates the comment. */
describe('corrections by re-upload', () => {
  let app: INestApplication<App>;
  let ds: DataSource;
  let first: BatchBody;
  let second: BatchBody;

  const stored = async (ref: string): Promise<StoredInsight[]> =>
    ds.query<StoredInsight[]>(
      `SELECT id, batch_id, text, theme_codes, content_hash, moderation_status FROM insight WHERE external_ref = $1`,
      [ref],
    );
  const searchIds = async (q: string): Promise<string[]> => {
    const res = await http(app).get('/api/v1/insights/search').query({ q });
    expect(res.status).toBe(200);
    return (res.body as { hits: Array<{ id: string }> }).hits.map((i) => i.id);
  };

  beforeAll(async () => {
    app = await createTestApp();
    ds = app.get(DataSource);
    await truncateAll(app);
    await ensureOrg(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('same organisation, same reference, new content: the insight is updated and counted as updated', async () => {
    const one = await upload(
      app,
      csv([
        ['reference', 'comment'],
        ['C1', 'The staff on the ward were kind and caring'],
        ['C2', OLD_TEXT],
        ['C3', 'The GP surgery phone line is always engaged'],
      ]),
      'first.csv',
    );
    first = await waitForBatch(app, one.body.id);
    expect(first.status).toBe('complete');
    const [before] = await stored('C2');
    await waitFor('the first text to be searchable', async () =>
      (await searchIds('parking')).includes(before.id) ? true : undefined,
    );

    const two = await upload(
      app,
      csv([
        ['reference', 'comment'],
        ['C1', 'The staff on the ward were kind and caring'],
        ['C2', NEW_TEXT],
        ['C4', 'The pharmacy was quick and friendly'],
        ['C5', ''],
      ]),
      'second.csv',
    );
    second = await waitForBatch(app, two.body.id);
    expect(second.status).toBe('complete');
    expect(second.counts).toMatchObject({
      received: 4,
      accepted: 1,
      updated: 1,
      duplicates: 1,
      rejected: 1,
    });
    const c = second.counts;
    expect(c.accepted + c.updated + c.rejected + c.duplicates).toBe(c.received);

    // One comment, its identity kept, saying what the correction says, re-tagged from it.
    const after = await stored('C2');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before.id, batch_id: first.id, text: NEW_TEXT });
    expect(after[0].content_hash).not.toBe(before.content_hash);
    expect(before.theme_codes).toContain('parking');
    expect(after[0].theme_codes).not.toContain('parking');
    expect(after[0].theme_codes).toEqual(expect.arrayContaining(['cleanliness']));

    // Re-indexed: the search finds the new words and no longer the old ones.
    await waitFor('the correction to be searchable', async () =>
      (await searchIds('toilets')).includes(before.id) ? true : undefined,
    );
    expect(await searchIds('parking')).not.toContain(before.id);

    // A tag event records the correction and the batch it came in; no text in it.
    const events = await ds.query<Array<{ actor: string; action: string; after: unknown }>>(
      `SELECT actor, action, after FROM tag_event WHERE insight_id = $1`,
      [before.id],
    );
    expect(events).toEqual([
      {
        actor: `batch:${second.id}`,
        action: 'correction',
        after: expect.objectContaining({ batchId: second.id, rowNumber: 3 }) as unknown,
      },
    ]);

    // The rows report says which insight the row updated.
    const rows = await http(app).get(`/api/v1/batches/${second.id}/rejections`);
    expect(rows.text).toContain(
      `3,0,updated,corrected,,Updated insight ${before.id} (corrected by re-upload),${before.id}`,
    );
  });

  it('a chunk run again counts the correction once and changes nothing', async () => {
    const enrich = app.get(EnrichChunkService);
    const batches = app.get(BatchesRepository);
    const [{ n: eventsBefore }] = await ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM tag_event WHERE action = 'correction'`,
    );
    // As if the job ran again after a crash: the same chunk, pending again, from the same rows.
    await app.get(FileStore).writeChunk(second.id, 0, [
      JSON.stringify({
        rowNumber: 2,
        part: 0,
        text: 'The staff on the ward were kind and caring',
        externalRef: 'C1',
        fields: {},
        metadata: {},
      }),
      JSON.stringify({
        rowNumber: 3,
        part: 0,
        text: NEW_TEXT,
        externalRef: 'C2',
        fields: {},
        metadata: {},
      }),
      JSON.stringify({
        rowNumber: 4,
        part: 0,
        text: 'The pharmacy was quick and friendly',
        externalRef: 'C4',
        fields: {},
        metadata: {},
      }),
    ]);
    await ds.query(`UPDATE batch_chunk SET status = 'pending' WHERE batch_id = $1`, [second.id]);
    await enrich.process(second.id, 0);

    const counts = await batches.transaction((tx) => tx.countOutcomes(second.id));
    expect(counts).toMatchObject({ accepted: 1, updated: 1, duplicates: 1, rejected: 1 });
    const [{ n: eventsAfter }] = await ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM tag_event WHERE action = 'correction'`,
    );
    expect(eventsAfter).toBe(eventsBefore);
    expect((await stored('C2')).map((i) => i.text)).toEqual([NEW_TEXT]);
  });

  it('a correction from a batch awaiting review is hidden outside the organisation until approved', async () => {
    const partner = await keyFor(app, 'partner', 'hw-test');
    const [before] = await stored('C3');
    const res = await http(app, partner)
      .post('/api/v1/batches')
      .field('sourceType', 'survey')
      .field('title', 'Corrections')
      .attach(
        'file',
        csv([
          ['reference', 'comment'],
          ['C3', 'The GP phone line now answers quickly'],
        ]),
        'third.csv',
      );
    expect(res.status).toBe(202);
    const third = await waitForBatch(app, res.body.id);
    expect(third.counts.updated).toBe(1);
    expect((await stored('C3'))[0]).toMatchObject({ id: before.id, moderation_status: 'pending' });

    const moderator = keyOf(app, 'moderator');
    await http(app, moderator).post(`/api/v1/moderation/batches/${third.id}/approve`).expect(200);
    expect((await stored('C3'))[0].moderation_status).toBe('approved');
  });

  it('a reference repeated within one file keeps its first row and says why the other is a duplicate', async () => {
    const res = await upload(
      app,
      csv([
        ['reference', 'comment'],
        ['D1', 'The nurses explained everything clearly'],
        ['D1', 'The nurses never explained anything'],
      ]),
      'repeated.csv',
    );
    const batch = await waitForBatch(app, res.body.id);
    expect(batch.counts).toMatchObject({ received: 2, accepted: 1, updated: 0, duplicates: 1 });
    expect((await stored('D1')).map((i) => i.text)).toEqual([
      'The nurses explained everything clearly',
    ]);
    const rows = await http(app).get(`/api/v1/batches/${batch.id}/rejections`);
    expect(rows.text).toContain(
      'Same reference as row 2 of this batch, with different content; the first row was kept',
    );
  });
});
