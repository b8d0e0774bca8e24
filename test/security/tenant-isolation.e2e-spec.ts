import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { OrganisationsService } from '../../src/organisations/organisations.service';
import { http, keyFor, keyOf, TEST_ICB } from '../support/auth';
import { waitForBatch } from '../support/batches';
import { createTestApp, truncateAll } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * Two partners and the ICB. Partner B uploads comments at every sharing level and in every
 * moderation state; each batch's comments carry one word found nowhere else, so a search for it
 * finds that batch alone. Partner A must not see, count, export, fetch or infer B's restricted or
 * unapproved comments through any path; the ICB must not see restricted or unapproved ones.
 */
const WORD = {
  restricted: 'quillwort', // B, restricted, approved
  icb: 'bladderwrack', // B, icb, approved
  system: 'samphire', // B, system, approved: the one B batch partner A may see
  pending: 'sundew', // B, system, awaiting review
  rejected: 'butterbur', // B, system, rejected by a moderator
  own: 'toadflax', // A, restricted, awaiting review: A's own
} as const;
type Fixture = keyof typeof WORD;
const HIDDEN_FROM_A: Fixture[] = ['restricted', 'icb', 'pending', 'rejected'];
const HIDDEN_FROM_ICB: Fixture[] = ['restricted', 'pending', 'rejected', 'own'];
const ROWS = 3;

function csvFile(word: string): Buffer {
  const lines = [
    'reference,comment,date',
    `${word}-1,The ${word} clinic waiting room was cold on Monday morning,2024-03-04`,
    `${word}-2,Parking near the ${word} surgery is hard to find after nine,2024-03-12`,
    `${word}-3,Staff at the ${word} pharmacy explained the new tablets clearly,2024-03-20`,
  ];
  return Buffer.from(lines.join('\n') + '\n', 'utf8');
}

interface SearchBody {
  total: number | null;
  hits: Array<{ id: string; text: string; organisationId: string; batchId: string }>;
  facets: Record<string, Record<string, number | null>>;
}
interface TrendsBody {
  series: Array<{ periodTotals: Array<number | null> }>;
}
interface BatchListBody {
  items: Array<{ id: string }>;
  total: number;
}

/** The answer with every id in it replaced, so two answers can be compared. */
function shape(res: request.Response, id: string): unknown {
  return {
    status: res.status,
    body: JSON.parse(
      JSON.stringify(res.body ?? null)
        .split(id)
        .join('<id>'),
    ) as unknown,
    type: res.type,
  };
}

describe('tenant isolation: two partners and the ICB', () => {
  let app: INestApplication<App>;
  let db: DataSource;
  let keyA: string;
  let keyB: string;
  let orgA: string;
  let orgB: string;
  const batch = {} as Record<Fixture, string>;
  const items = {} as Record<Fixture, string[]>;
  let restoreThreshold: string | undefined;

  const asA = () => http(app, keyA);
  const commissioner = () => http(app, keyOf(app, 'commissioner'));
  const analyst = () => http(app, keyOf(app, 'analyst'));

  async function search(key: string, params: Record<string, string> = {}): Promise<SearchBody> {
    const res = await http(app, key)
      .get('/api/v1/insights/search')
      .query({ pageSize: '100', ...params });
    expect(res.status).toBe(200);
    return res.body as SearchBody;
  }

  async function upload(key: string, fixture: Fixture, sharingLevel: string): Promise<void> {
    const res = await http(app, key)
      .post('/api/v1/batches')
      .field('sourceType', 'survey')
      .field('title', `Isolation ${fixture}`)
      .field('sharingLevel', sharingLevel)
      .attach('file', csvFile(WORD[fixture]), `${fixture}.csv`);
    expect(res.status).toBe(202);
    const done = await waitForBatch(app, (res.body as { id: string }).id);
    expect(done.status).toBe('complete');
    expect(done.counts.accepted).toBe(ROWS);
    batch[fixture] = done.id;
  }

  async function review(fixture: Fixture, decision: 'approve' | 'reject'): Promise<void> {
    const res = await http(app, keyOf(app, 'moderator'))
      .post(`/api/v1/moderation/batches/${batch[fixture]}/${decision}`)
      .send({ reason: 'Isolation fixture' });
    expect(res.status).toBe(200);
  }

  beforeAll(async () => {
    // No disclosure control in this suite: a leaked count must show, not hide under suppression.
    restoreThreshold = process.env.DISCLOSURE_THRESHOLD;
    process.env.DISCLOSURE_THRESHOLD = '1';
    app = await createTestApp();
    db = app.get(DataSource);
    await truncateAll(app);
    keyA = await keyFor(app, 'partner', 'partner-a');
    keyB = await keyFor(app, 'partner', 'partner-b');
    const orgs = app.get(OrganisationsService);
    orgA = (await orgs.byCode('partner-a')).id;
    orgB = (await orgs.byCode('partner-b')).id;
    expect((await orgs.byCode('partner-b')).trusted).toBe(false);

    await upload(keyB, 'restricted', 'restricted');
    await upload(keyB, 'icb', 'icb');
    await upload(keyB, 'system', 'system');
    await upload(keyB, 'pending', 'system');
    await upload(keyB, 'rejected', 'system');
    await upload(keyA, 'own', 'restricted');
    await review('restricted', 'approve');
    await review('icb', 'approve');
    await review('system', 'approve');
    await review('rejected', 'reject');

    for (const f of Object.keys(WORD) as Fixture[]) {
      const rows = await db.query<Array<{ id: string }>>(
        `SELECT id FROM insight WHERE batch_id = $1 ORDER BY row_number`,
        [batch[f]],
      );
      items[f] = rows.map((r) => r.id);
      expect(items[f]).toHaveLength(ROWS);
    }
    // The index has caught up with every decision before any path is tried.
    await waitFor('the index to hold the moderation decisions', async () => {
      const approved = await search(keyOf(app, 'admin'), {
        organisation: orgB,
        moderationStatus: 'approved',
      });
      const rejected = await search(keyOf(app, 'admin'), {
        organisation: orgB,
        moderationStatus: 'rejected',
      });
      return approved.total === 3 * ROWS && rejected.total === ROWS;
    });
  });

  afterAll(async () => {
    if (restoreThreshold === undefined) delete process.env.DISCLOSURE_THRESHOLD;
    else process.env.DISCLOSURE_THRESHOLD = restoreThreshold;
    await app?.close();
  });

  it('the fixtures exist: partner B sees all of its own comments, the admin sees everything', async () => {
    expect((await search(keyB)).total).toBe(5 * ROWS);
    for (const f of HIDDEN_FROM_A) expect((await search(keyB, { q: WORD[f] })).total).toBe(ROWS);
    expect((await search(keyOf(app, 'admin'))).total).toBe(6 * ROWS);
    const reviews = await db.query<Array<{ id: string; review_status: string }>>(
      `SELECT id, review_status FROM batch`,
    );
    const status = Object.fromEntries(reviews.map((r) => [r.id, r.review_status]));
    expect(status[batch.pending]).toBe('awaiting_review');
    expect(status[batch.own]).toBe('awaiting_review');
    expect(status[batch.rejected]).toBe('rejected');
    expect(status[batch.restricted]).toBe('approved');
  });

  describe('partner A', () => {
    it('search: hits and total hold only A’s own comments and B’s approved system ones', async () => {
      const r = await search(keyA);
      expect(r.total).toBe(2 * ROWS);
      expect(r.hits.map((h) => h.id).sort()).toEqual([...items.own, ...items.system].sort());
      expect(new Set(r.hits.map((h) => h.batchId))).toEqual(new Set([batch.own, batch.system]));
    });

    it('search text that matches only B’s hidden comments finds nothing', async () => {
      for (const f of HIDDEN_FROM_A) {
        const r = await search(keyA, { q: WORD[f] });
        expect({ f, total: r.total, hits: r.hits.length }).toEqual({ f, total: 0, hits: 0 });
      }
      expect((await search(keyA, { q: WORD.system })).total).toBe(ROWS);
    });

    it('facets: organisation, batch, sharing level and moderation counts leave B’s hidden comments out', async () => {
      const r = await search(keyA, {
        facets: 'organisation,batch,sharingLevel,moderationStatus,sourceType',
      });
      expect(r.facets.organisation).toEqual({ [orgA]: ROWS, [orgB]: ROWS });
      expect(r.facets.batch).toEqual({ [batch.own]: ROWS, [batch.system]: ROWS });
      expect(r.facets.sharingLevel).toEqual({ restricted: ROWS, system: ROWS });
      expect(r.facets.moderationStatus).toEqual({ pending: ROWS, approved: ROWS });
      expect(r.facets.sourceType).toEqual({ survey: 2 * ROWS });
    });

    it('summary: the count and the number of organisations leave B’s hidden comments out', async () => {
      const all = await asA().get('/api/v1/insights/summary');
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ count: 2 * ROWS, organisations: 2 });
      const ofB = await asA().get('/api/v1/insights/summary').query({ organisation: orgB });
      expect(ofB.body).toMatchObject({ count: ROWS, organisations: 1 });
      for (const f of HIDDEN_FROM_A) {
        const byText = await asA().get('/api/v1/insights/summary').query({ q: WORD[f] });
        expect({ f, count: (byText.body as { count: number }).count }).toEqual({ f, count: 0 });
      }
    });

    it('trends: the period totals leave B’s hidden comments out', async () => {
      // A comment counts once per theme, so totals are compared with the admin's for the same batches.
      const total = async (key: string, params: Record<string, string>) => {
        const res = await http(app, key)
          .get('/api/v1/insights/trends')
          .query({ interval: 'month', ...params });
        expect(res.status).toBe(200);
        return (res.body as TrendsBody).series
          .flatMap((s) => s.periodTotals)
          .reduce<number>((a, b) => a + (b ?? 0), 0);
      };
      const admin = keyOf(app, 'admin');
      const visible = await total(admin, { batch: `${batch.own},${batch.system}` });
      expect(visible).toBeGreaterThanOrEqual(2 * ROWS);
      expect(await total(keyA, {})).toBe(visible);
      for (const f of HIDDEN_FROM_A) {
        expect(await total(admin, { batch: batch[f] })).toBeGreaterThan(0);
        expect({ f, n: await total(keyA, { batch: batch[f] }) }).toEqual({ f, n: 0 });
        expect({ f, n: await total(keyA, { q: WORD[f] }) }).toEqual({ f, n: 0 });
      }
    });

    it('export: a partner may not export at all', async () => {
      for (const format of ['csv', 'json', 'xlsx']) {
        const res = await asA().get('/api/v1/insights/export').query({ format });
        expect(res.status).toBe(403);
      }
    });

    it('insight detail: B’s hidden comment answers 404, exactly like an id that does not exist', async () => {
      const missing = randomUUID();
      const nothing = shape(await asA().get(`/api/v1/insights/${missing}`), missing);
      expect(nothing).toMatchObject({ status: 404 });
      for (const f of HIDDEN_FROM_A) {
        const id = items[f][0];
        expect(shape(await asA().get(`/api/v1/insights/${id}`), id)).toEqual(nothing);
      }
      expect((await asA().get(`/api/v1/insights/${items.system[0]}`)).status).toBe(200);
      expect((await asA().get(`/api/v1/insights/${items.own[0]}`)).status).toBe(200);
    });

    it('tag events, tag review and sentiment: refused (403) to a partner, on any comment', async () => {
      for (const id of [items.restricted[0], items.pending[0], items.system[0]]) {
        expect((await asA().get(`/api/v1/insights/${id}/tag-events`)).status).toBe(403);
        const tag = await asA()
          .post(`/api/v1/insights/${id}/tags`)
          .send({ action: 'add', theme: 'access' });
        expect(tag.status).toBe(403);
        const sentiment = await asA()
          .patch(`/api/v1/insights/${id}/sentiment`)
          .send({ sentiment: 'positive' });
        expect(sentiment.status).toBe(403);
      }
    });

    it('batch list: only A’s own batch and B’s approved system batch, also when filtered by B', async () => {
      const all = await asA().get('/api/v1/batches').query({ pageSize: '100' });
      expect(all.status).toBe(200);
      const body = all.body as BatchListBody;
      expect(body.items.map((b) => b.id).sort()).toEqual([batch.own, batch.system].sort());
      expect(body.total).toBe(2);
      const ofB = await asA().get('/api/v1/batches').query({ organisation: 'partner-b' });
      expect((ofB.body as BatchListBody).items.map((b) => b.id)).toEqual([batch.system]);
      expect((ofB.body as BatchListBody).total).toBe(1);
      // An unknown organisation code lists nothing, like a known one with nothing visible: the
      // answer does not tell which codes exist.
      const unknown = await asA().get('/api/v1/batches').query({ organisation: 'no-such-org' });
      expect(unknown.status).toBe(200);
      expect(unknown.body).toMatchObject({ items: [], total: 0 });
    });

    it('batch detail: B’s hidden batch answers 404, exactly like a batch that does not exist', async () => {
      const missing = randomUUID();
      const nothing = shape(await asA().get(`/api/v1/batches/${missing}`), missing);
      expect(nothing).toMatchObject({ status: 404 });
      for (const f of HIDDEN_FROM_A)
        expect(shape(await asA().get(`/api/v1/batches/${batch[f]}`), batch[f])).toEqual(nothing);
      expect((await asA().get(`/api/v1/batches/${batch.system}`)).status).toBe(200);
    });

    it('rejected rows: 404 for every batch of B, exactly like a batch that does not exist', async () => {
      const missing = randomUUID();
      const nothing = shape(await asA().get(`/api/v1/batches/${missing}/rejections`), missing);
      expect(nothing).toMatchObject({ status: 404 });
      for (const f of [...HIDDEN_FROM_A, 'system'] as Fixture[]) {
        const res = await asA().get(`/api/v1/batches/${batch[f]}/rejections`);
        expect(shape(res, batch[f])).toEqual(nothing);
      }
      expect((await asA().get(`/api/v1/batches/${batch.own}/rejections`)).status).toBe(200);
    });

    it('delete: B’s hidden batch answers 404 like a missing one, B’s visible one is refused, nothing is deleted', async () => {
      const missing = randomUUID();
      const nothing = shape(await asA().delete(`/api/v1/batches/${missing}`).send({}), missing);
      expect(nothing).toMatchObject({ status: 404 });
      for (const f of HIDDEN_FROM_A) {
        const res = await asA().delete(`/api/v1/batches/${batch[f]}`).send({});
        expect(shape(res, batch[f])).toEqual(nothing);
      }
      const visible = await asA().delete(`/api/v1/batches/${batch.system}`).send({});
      expect([403, 404]).toContain(visible.status);
      const [{ n }] = await db.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM insight WHERE organisation_id = $1`,
        [orgB],
      );
      expect(n).toBe(5 * ROWS);
      const live = await db.query<Array<{ status: string }>>(
        `SELECT status FROM batch WHERE organisation_id = $1`,
        [orgB],
      );
      expect(live.map((b) => b.status)).not.toContain('deleted');
    });

    it('filters naming B’s hidden batch or B itself return nothing hidden, and no error that confirms them', async () => {
      for (const f of HIDDEN_FROM_A) {
        const byBatch = await asA().get('/api/v1/insights/search').query({ batch: batch[f] });
        expect(byBatch.status).toBe(200);
        expect((byBatch.body as SearchBody).total).toBe(0);
        const summary = await asA().get('/api/v1/insights/summary').query({ batch: batch[f] });
        expect(summary.status).toBe(200);
        expect((summary.body as { count: number }).count).toBe(0);
      }
      // The same answer as for a batch that never existed.
      const ghost = await asA().get('/api/v1/insights/search').query({ batch: randomUUID() });
      expect(ghost.status).toBe(200);
      expect((ghost.body as SearchBody).total).toBe(0);
      const ofB = await search(keyA, { organisation: orgB });
      expect(ofB.total).toBe(ROWS);
      expect(new Set(ofB.hits.map((h) => h.batchId))).toEqual(new Set([batch.system]));
      // Asking for the hidden levels or states by name widens nothing.
      expect(
        (await search(keyA, { organisation: orgB, sharingLevel: 'restricted,icb' })).total,
      ).toBe(0);
      expect(
        (await search(keyA, { organisation: orgB, moderationStatus: 'pending,rejected' })).total,
      ).toBe(0);
    });
  });

  describe('partner A on the web pages', () => {
    it('the search page: a hidden comment’s word finds nothing, a visible one finds B’s system comments', async () => {
      for (const f of HIDDEN_FROM_A) {
        const res = await asA().get('/search').query({ q: WORD[f] });
        expect(res.status).toBe(200);
        // The query is echoed in the search box; no comment text or id may follow it.
        expect(res.text).not.toContain('waiting room was cold');
        for (const id of items[f]) expect(res.text).not.toContain(id);
      }
      const visible = await asA().get('/search').query({ q: WORD.system });
      expect(visible.text).toContain('waiting room was cold');
      for (const id of items.system) expect(visible.text).toContain(id);
      const all = await asA().get('/search');
      for (const f of HIDDEN_FROM_A) expect(all.text).not.toContain(WORD[f]);
    });

    it('the comment page: B’s hidden comment answers like one that does not exist', async () => {
      // Each page carries a fresh CSRF token; everything else must be the same.
      const page = (html: string, id: string) =>
        html
          .split(id)
          .join('<id>')
          .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf"');
      const missing = randomUUID();
      const nothing = await asA().get(`/insights/${missing}`);
      expect(nothing.status).toBe(404);
      for (const f of HIDDEN_FROM_A) {
        const res = await asA().get(`/insights/${items[f][0]}`);
        expect(res.status).toBe(404);
        expect(page(res.text, items[f][0])).toBe(page(nothing.text, missing));
        expect(res.text).not.toContain(WORD[f]);
      }
      expect((await asA().get(`/insights/${items.system[0]}`)).status).toBe(200);
    });
  });

  describe('the ICB', () => {
    it('a commissioner sees B’s approved icb and system comments, none restricted or unapproved', async () => {
      const r = await search(keyOf(app, 'commissioner'));
      expect(r.hits.map((h) => h.id).sort()).toEqual([...items.icb, ...items.system].sort());
      expect(r.total).toBe(2 * ROWS);
      for (const f of HIDDEN_FROM_ICB)
        expect({
          f,
          total: (await search(keyOf(app, 'commissioner'), { q: WORD[f] })).total,
        }).toEqual({ f, total: 0 });
      const summary = await commissioner().get('/api/v1/insights/summary');
      expect(summary.body).toMatchObject({ count: 2 * ROWS, organisations: 1 });
    });

    it('a commissioner’s CSV and JSON exports hold the same comments and no hidden text', async () => {
      const csv = await commissioner().get('/api/v1/insights/export').query({ format: 'csv' });
      expect(csv.status).toBe(200);
      const rows = parse<Record<string, string>>(csv.text, { columns: true, bom: true });
      expect(rows.map((r) => r.id).sort()).toEqual([...items.icb, ...items.system].sort());
      const json = await commissioner()
        .get('/api/v1/insights/export')
        .query({ format: 'json' })
        .buffer(true)
        .parse((res, cb) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString('utf8')));
          res.on('end', () => cb(null, text));
        });
      const records = JSON.parse(json.body as string) as Array<{ id: string }>;
      expect(records.map((r) => r.id).sort()).toEqual([...items.icb, ...items.system].sort());
      for (const f of HIDDEN_FROM_ICB) {
        expect(csv.text).not.toContain(WORD[f]);
        expect(json.body as string).not.toContain(WORD[f]);
        const filtered = await commissioner()
          .get('/api/v1/insights/export')
          .query({ format: 'csv', batch: batch[f] });
        expect(parse(filtered.text, { columns: true, bom: true })).toEqual([]);
      }
    });

    it('ICB staff get 404 for restricted and unapproved comments on every path that names one', async () => {
      const missing = randomUUID();
      const paths = (id: string) => [
        () => analyst().get(`/api/v1/insights/${id}`),
        () => analyst().get(`/api/v1/insights/${id}/tag-events`),
        () =>
          analyst().post(`/api/v1/insights/${id}/tags`).send({ action: 'add', theme: 'access' }),
        () => analyst().patch(`/api/v1/insights/${id}/sentiment`).send({ sentiment: 'positive' }),
        () => commissioner().get(`/api/v1/insights/${id}`),
      ];
      const nothing = await Promise.all(paths(missing).map(async (p) => shape(await p(), missing)));
      for (const s of nothing) expect(s).toMatchObject({ status: 404 });
      for (const f of HIDDEN_FROM_ICB) {
        const id = items[f][0];
        const got = [];
        for (const p of paths(id)) got.push(shape(await p(), id));
        expect({ f, got }).toEqual({ f, got: nothing });
      }
      expect((await commissioner().get(`/api/v1/insights/${items.icb[0]}`)).status).toBe(200);
      const events = await db.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM tag_event WHERE insight_id = ANY($1::uuid[])`,
        [HIDDEN_FROM_ICB.flatMap((f) => items[f])],
      );
      expect(events[0].n).toBe(0);
    });

    it('ICB staff see none of the hidden batches', async () => {
      const list = await commissioner().get('/api/v1/batches').query({ pageSize: '100' });
      expect((list.body as BatchListBody).items.map((b) => b.id).sort()).toEqual(
        [batch.icb, batch.system].sort(),
      );
      for (const f of HIDDEN_FROM_ICB)
        expect((await commissioner().get(`/api/v1/batches/${batch[f]}`)).status).toBe(404);
    });
  });

  it('the standing ICB keys belong to the ICB, not to either partner', async () => {
    const me = await commissioner().get('/api/v1/auth/me');
    expect(me.body).toMatchObject({ organisation: TEST_ICB, role: 'commissioner' });
  });
});
