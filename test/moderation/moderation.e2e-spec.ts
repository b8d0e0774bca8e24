import type { INestApplication } from '@nestjs/common';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { OrganisationsService } from '../../src/organisations/organisations.service';
import { http, keyFor, keyOf } from '../support/auth';
import { waitForBatch } from '../support/batches';
import { createTestApp, truncateAll } from '../support/test-app';
import { waitFor } from '../support/wait-for';

interface StoredItem {
  id: string;
  row_number: number;
  text: string;
  moderation_status: string;
  sharing_level: string;
  safeguarding: boolean;
  needs_review: boolean;
  redaction: Record<string, number>;
}

interface ItemBody {
  id: string;
  batchId: string;
  text: string;
  moderationStatus: string;
  sharingLevel: string;
  needsReview: boolean;
  safeguarding: boolean;
  safeguardingCategories: string[];
  redaction: Record<string, number>;
}

interface PageBody<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

function csv(rows: string[][]): Buffer {
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return Buffer.from(rows.map((r) => r.map(cell).join(',')).join('\n') + '\n', 'utf8');
}

/** Each suite run uses its own word, so its searches find only its comments. */
const WORD = 'kestrelwood';

const PARTNER_ROWS = [
  ['reference', 'comment'],
  ['m-1', `The ${WORD} pharmacy opened late every Tuesday`],
  ['m-2', `At ${WORD} clinic reception please call me on 07700 900123 about it`],
  ['m-3', `On ${WORD} ward my neighbour threatened to kill me and I do not feel safe at home`],
  ['m-4', `The ${WORD} surgery car park was full again`],
];

describe('moderation', () => {
  let app: INestApplication<App>;
  let db: DataSource;
  let partnerA: string;
  let partnerB: string;
  let trustedPartner: string;
  let moderator: string;
  let commissioner: string;

  async function partnerUpload(
    key: string,
    rows: string[][],
    name: string,
    sharingLevel = 'system',
  ): Promise<{ id: string; reviewStatus: string; message: string }> {
    const res = await http(app, key)
      .post('/api/v1/batches')
      .field('sourceType', 'survey')
      .field('title', `Moderation test ${name}`)
      .field('sharingLevel', sharingLevel)
      .attach('file', csv(rows), name);
    expect(res.status).toBe(202);
    const batch = await waitForBatch(app, (res.body as { id: string }).id);
    expect(batch.status).toBe('complete');
    return res.body as { id: string; reviewStatus: string; message: string };
  }

  async function stored(batchId: string): Promise<StoredItem[]> {
    return db.query(
      `SELECT id, row_number, text, moderation_status, sharing_level, safeguarding, needs_review, redaction
         FROM insight WHERE batch_id = $1 ORDER BY row_number`,
      [batchId],
    );
  }

  async function searchIds(key: string, params: Record<string, string>): Promise<string[]> {
    const res = await http(app, key).get('/api/v1/insights/search').query(params).expect(200);
    return (res.body as { hits: Array<{ id: string }> }).hits.map((h) => h.id).sort();
  }

  async function summaryCount(key: string, batchId: string): Promise<number> {
    const res = await http(app, key)
      .get('/api/v1/insights/summary')
      .query({ batch: batchId })
      .expect(200);
    return (res.body as { count: number }).count;
  }

  async function auditRows(
    action: string,
    targetId: string,
  ): Promise<Array<{ actor: string; details: Record<string, unknown> }>> {
    return db.query(
      `SELECT actor, details FROM audit_event WHERE action = $1 AND target_id = $2 ORDER BY id`,
      [action, targetId],
    );
  }

  /** Waits until the index shows `key` exactly these insights of the search. */
  async function waitForSearch(
    key: string,
    params: Record<string, string>,
    ids: string[],
  ): Promise<void> {
    const want = [...ids].sort();
    await waitFor(
      `search ${JSON.stringify(params)} to show ${want.length} insights`,
      async () => JSON.stringify(await searchIds(key, params)) === JSON.stringify(want),
      30_000,
      200,
    );
  }

  beforeAll(async () => {
    app = await createTestApp();
    await truncateAll(app);
    db = app.get(DataSource);
    partnerA = await keyFor(app, 'partner', 'hw-moderation-a');
    partnerB = await keyFor(app, 'partner', 'hw-moderation-b');
    await app
      .get(OrganisationsService)
      .create({ code: 'vcse-trusted', name: 'Trusted partner', kind: 'vcse', trusted: true });
    trustedPartner = await keyFor(app, 'partner', 'vcse-trusted');
    moderator = keyOf(app, 'moderator');
    commissioner = keyOf(app, 'commissioner');
  });
  afterAll(async () => {
    await app.close();
  });

  describe('a partner batch awaiting review', () => {
    let batchId: string;
    let items: StoredItem[];
    const byRow = (n: number) => items.find((i) => i.row_number === n + 1)!;

    beforeAll(async () => {
      const created = await partnerUpload(partnerA, PARTNER_ROWS, 'partner.csv');
      batchId = created.id;
      expect(created.reviewStatus).toBe('awaiting_review');
      expect(created.message).toMatch(/once a moderator approves/);
      items = await stored(batchId);
    });

    it('stores its comments pending, and restricts the safeguarding one', () => {
      expect(items).toHaveLength(4);
      expect(items.map((i) => i.moderation_status)).toEqual([
        'pending',
        'pending',
        'pending',
        'pending',
      ]);
      expect(byRow(2).redaction).toEqual({ PHONE: 1 });
      expect(byRow(2).text).not.toContain('07700');
      expect(byRow(3)).toMatchObject({
        safeguarding: true,
        sharing_level: 'restricted',
        needs_review: true,
      });
      expect(byRow(1)).toMatchObject({ safeguarding: false, sharing_level: 'system' });
    });

    it('is visible to the uploading partner and to moderators', async () => {
      const own = await http(app, partnerA).get(`/api/v1/batches/${batchId}`).expect(200);
      expect(own.body).toMatchObject({ reviewStatus: 'awaiting_review', reviewedAt: null });
      expect(own.body.errorSummary['flagged:safeguarding']).toBe(1);
      await http(app, moderator).get(`/api/v1/batches/${batchId}`).expect(200);
      const all = items.map((i) => i.id);
      expect(await searchIds(partnerA, { q: WORD })).toEqual([...all].sort());
      expect(await searchIds(moderator, { q: WORD })).toEqual([...all].sort());
      expect(await summaryCount(partnerA, batchId)).toBe(4);
      await http(app, partnerA)
        .get(`/api/v1/insights/${byRow(1).id}`)
        .expect(200);
    });

    it.each([
      ['another partner', () => partnerB],
      ['a commissioner', () => commissioner],
    ])('is invisible to %s: search, summary, detail and batch', async (_who, key) => {
      expect(await searchIds(key(), { q: WORD })).toEqual([]);
      expect(await summaryCount(key(), batchId)).toBe(0);
      for (const i of items) await http(app, key()).get(`/api/v1/insights/${i.id}`).expect(404);
      await http(app, key()).get(`/api/v1/batches/${batchId}`).expect(404);
      const list = await http(app, key()).get('/api/v1/batches').expect(200);
      expect((list.body as PageBody<{ id: string }>).items.map((b) => b.id)).not.toContain(batchId);
    });

    it('is in the moderators’ queue with its flag counts', async () => {
      const res = await http(app, moderator).get('/api/v1/moderation/batches').expect(200);
      const body = res.body as PageBody<{ id: string; counts: Record<string, number> }>;
      const entry = body.items.find((b) => b.id === batchId);
      expect(entry).toMatchObject({
        reviewStatus: 'awaiting_review',
        status: 'complete',
        organisation: { code: 'hw-moderation-a', trusted: false },
        counts: { items: 4, pending: 4, piiFlagged: 1, needsReview: 1, safeguarding: 1 },
      });
      expect(body).toMatchObject({ page: 1, pageSize: 20 });
    });

    it('lists its items by flag, with redacted text and redaction counts', async () => {
      const get = (flag?: string) =>
        http(app, moderator)
          .get(`/api/v1/moderation/batches/${batchId}/items`)
          .query(flag ? { flag } : {});
      const all = (await get().expect(200)).body as PageBody<ItemBody>;
      expect(all.total).toBe(4);
      const pii = (await get('pii').expect(200)).body as PageBody<ItemBody>;
      expect(pii.items).toHaveLength(1);
      expect(pii.items[0]).toMatchObject({
        id: byRow(2).id,
        redaction: { PHONE: 1 },
        moderationStatus: 'pending',
      });
      expect(pii.items[0].text).toContain('[PHONE]');
      const flagged = (await get('safeguarding').expect(200)).body as PageBody<ItemBody>;
      expect(flagged.items.map((i) => i.id)).toEqual([byRow(3).id]);
      expect(flagged.items[0].safeguardingCategories).toEqual(
        expect.arrayContaining(['threat_of_harm', 'domestic_abuse']),
      );
      const review = (await get('needs_review').expect(200)).body as PageBody<ItemBody>;
      expect(review.items.map((i) => i.id)).toEqual([byRow(3).id]);

      const bad = await get('everything').expect(400);
      expect(JSON.stringify(bad.body)).toContain('flag must be one of');
      await http(app, moderator)
        .get('/api/v1/moderation/batches/00000000-0000-4000-8000-000000000000/items')
        .expect(404);
      await http(app, moderator).get('/api/v1/moderation/batches/not-an-id/items').expect(404);
    });

    it('lists the safeguarding comment for moderators', async () => {
      const res = await http(app, moderator).get('/api/v1/moderation/safeguarding').expect(200);
      const body = res.body as PageBody<
        ItemBody & { organisation: { code: string }; batchTitle: string }
      >;
      const entry = body.items.find((i) => i.id === byRow(3).id);
      expect(entry).toMatchObject({
        safeguarding: true,
        sharingLevel: 'restricted',
        organisation: { code: 'hw-moderation-a' },
        batchTitle: 'Moderation test partner.csv',
      });
    });

    it('refuses the moderation routes to anyone without moderation rights', async () => {
      for (const key of [partnerA, commissioner, keyOf(app, 'analyst')]) {
        await http(app, key).get('/api/v1/moderation/batches').expect(403);
        await http(app, key).post(`/api/v1/moderation/batches/${batchId}/approve`).expect(403);
        await http(app, key)
          .post(`/api/v1/moderation/insights/${byRow(1).id}/reject`)
          .expect(403);
      }
      await http(app, null).get('/api/v1/moderation/safeguarding').expect(401);
      expect((await stored(batchId)).every((i) => i.moderation_status === 'pending')).toBe(true);
    });

    it('approving the batch shares its comments within their sharing level, except one rejected item', async () => {
      const rejected = await http(app, moderator)
        .post(`/api/v1/moderation/insights/${byRow(4).id}/reject`)
        .send({ reason: 'Not about a health service' })
        .expect(200);
      expect(rejected.body).toMatchObject({ moderationStatus: 'rejected', batchId });

      const approved = await http(app, moderator)
        .post(`/api/v1/moderation/batches/${batchId}/approve`)
        .expect(200);
      expect(approved.body).toMatchObject({ reviewStatus: 'approved', itemsChanged: 3 });
      const after = await stored(batchId);
      expect(after.map((i) => i.moderation_status)).toEqual([
        'approved',
        'approved',
        'approved',
        'rejected',
      ]);

      // The commissioner now sees the approved comments, but not the restricted one nor the rejected one.
      const visible = [byRow(1).id, byRow(2).id];
      await waitForSearch(commissioner, { q: WORD }, visible);
      await waitForSearch(partnerB, { q: WORD }, visible);
      expect(await summaryCount(commissioner, batchId)).toBe(2);
      await http(app, commissioner)
        .get(`/api/v1/insights/${byRow(1).id}`)
        .expect(200);
      await http(app, commissioner)
        .get(`/api/v1/insights/${byRow(3).id}`)
        .expect(404);
      await http(app, commissioner)
        .get(`/api/v1/insights/${byRow(4).id}`)
        .expect(404);
      const batch = await http(app, commissioner).get(`/api/v1/batches/${batchId}`).expect(200);
      expect(batch.body).toMatchObject({ reviewStatus: 'approved' });
      expect(batch.body.reviewedAt).toEqual(expect.any(String));
      // The uploading organisation still sees everything it sent.
      expect(await searchIds(partnerA, { q: WORD })).toHaveLength(4);

      const again = await http(app, moderator)
        .post(`/api/v1/moderation/batches/${batchId}/reject`)
        .expect(409);
      expect(again.body.message).toMatch(/already approved/);
      const queue = await http(app, moderator).get('/api/v1/moderation/batches').expect(200);
      expect((queue.body as PageBody<{ id: string }>).items.map((b) => b.id)).not.toContain(
        batchId,
      );

      const [approveRow] = await auditRows('batch.approve', batchId);
      expect(approveRow.details).toEqual({ itemsChanged: 3 });
      expect(approveRow.actor).toBe(`key:${moderator.slice(0, 'ib_00000000'.length)}`);
      const [rejectRow] = await auditRows('insight.reject', byRow(4).id);
      expect(rejectRow.details).toEqual({
        batchId,
        from: 'pending',
        reason: 'Not about a health service',
      });
    });

    it('an item approved on its own is seen at once; rejecting it hides it again', async () => {
      await http(app, moderator)
        .post(`/api/v1/moderation/insights/${byRow(4).id}/approve`)
        .expect(200);
      await waitForSearch(commissioner, { q: WORD }, [byRow(1).id, byRow(2).id, byRow(4).id]);
      await http(app, moderator)
        .post(`/api/v1/moderation/insights/${byRow(4).id}/reject`)
        .expect(200);
      await waitForSearch(commissioner, { q: WORD }, [byRow(1).id, byRow(2).id]);
      expect((await auditRows('insight.approve', byRow(4).id))[0].details).toEqual({
        batchId,
        from: 'rejected',
      });
      await http(app, moderator)
        .post('/api/v1/moderation/insights/00000000-0000-4000-8000-000000000000/approve')
        .expect(404);
    });

    it('a corrected redaction is de-identified again before it is stored', async () => {
      const id = byRow(2).id;
      const res = await http(app, moderator)
        .patch(`/api/v1/moderation/insights/${id}/text`)
        .send({ text: `At ${WORD} clinic reception the nurse rang 07700 900456 back` })
        .expect(200);
      expect(res.body).toMatchObject({ id, redaction: { PHONE: 1 }, needsReview: false });
      expect(res.body.text).toBe(`At ${WORD} clinic reception the nurse rang [PHONE] back`);
      const [row] = (await stored(batchId)).filter((i) => i.id === id);
      expect(row.text).not.toMatch(/\d{4}/);

      // The index follows: the commissioner finds the corrected text.
      await waitFor(
        'the corrected text in the index',
        async () => {
          const hits = await http(app, commissioner)
            .get('/api/v1/insights/search')
            .query({ q: `${WORD} nurse rang` })
            .expect(200);
          return (hits.body as { hits: Array<{ id: string; text: string }> }).hits.some(
            (h) => h.id === id && h.text.includes('[PHONE]'),
          );
        },
        30_000,
        200,
      );

      const [audit] = await auditRows('insights.redaction_edit', id);
      expect(audit.details).toEqual({
        batchId,
        redactionBefore: { PHONE: 1 },
        redactionAfter: { PHONE: 1 },
        removedFromCorrection: { PHONE: 1 },
        safeguarding: false,
      });
      const logged = JSON.stringify(audit);
      expect(logged).not.toContain('07700');
      expect(logged).not.toContain('nurse');
      expect(logged).not.toContain('reception');
    });

    it('a correction that discloses a risk restricts the item', async () => {
      const id = byRow(1).id;
      const res = await http(app, moderator)
        .patch(`/api/v1/moderation/insights/${id}/text`)
        .send({ text: `The ${WORD} pharmacy manager is stealing my pension` })
        .expect(200);
      expect(res.body).toMatchObject({
        safeguarding: true,
        sharingLevel: 'restricted',
        needsReview: true,
        safeguardingCategories: ['financial_abuse'],
      });
      await waitForSearch(commissioner, { q: WORD }, [byRow(2).id]);
    });

    it('refuses bad corrections', async () => {
      const patch = (id: string) =>
        http(app, moderator).patch(`/api/v1/moderation/insights/${id}/text`);
      const empty = await patch(byRow(2).id).send({ text: '' }).expect(400);
      expect(JSON.stringify(empty.body)).toContain('text must not be empty');
      await patch(byRow(2).id).send({}).expect(400);
      await patch(byRow(2).id).send({ text: 'x', extra: 1 }).expect(400);
      await patch('00000000-0000-4000-8000-000000000000').send({ text: 'Fine' }).expect(404);
    });

    it('clearing a safeguarding flag returns the item to its batch’s sharing level, with the reason audited', async () => {
      const id = byRow(1).id;
      const clear = (itemId: string, key = moderator) =>
        http(app, key).post(`/api/v1/moderation/insights/${itemId}/safeguarding/clear`);
      const missing = await clear(id).send({}).expect(400);
      expect(JSON.stringify(missing.body)).toContain('reason must be text');
      const blank = await clear(id).send({ reason: '   ' }).expect(400);
      expect(JSON.stringify(blank.body)).toContain('reason is required');
      await clear(id, partnerA).send({ reason: 'Dealt with' }).expect(403);
      const notFlagged = await clear(byRow(2).id).send({ reason: 'Dealt with' }).expect(409);
      expect(notFlagged.body.message).toMatch(/no safeguarding flag/);
      expect((await stored(batchId)).find((i) => i.id === id)).toMatchObject({
        safeguarding: true,
        sharing_level: 'restricted',
      });

      const res = await clear(id)
        .send({ reason: 'Rang the manager on 07700 900123: a misunderstanding, pension found' })
        .expect(200);
      expect(res.body).toMatchObject({
        id,
        safeguarding: false,
        sharingLevel: 'system',
        needsReview: false,
        moderationStatus: 'approved',
      });
      await waitForSearch(commissioner, { q: WORD }, [byRow(1).id, byRow(2).id]);
      const list = await http(app, moderator).get('/api/v1/moderation/safeguarding').expect(200);
      expect((list.body as PageBody<{ id: string }>).items.map((i) => i.id)).not.toContain(id);
      const [row] = await auditRows('insight.safeguarding_clear', id);
      expect(row.details).toEqual({
        batchId,
        reason: 'Rang the manager on [PHONE]: a misunderstanding, pension found',
        sharingLevel: 'system',
      });
      await clear(id).send({ reason: 'Again' }).expect(409);
    });
  });

  it('a rejected batch stays within its organisation and tells the uploader why', async () => {
    const { id } = await partnerUpload(
      partnerA,
      [
        ['comment'],
        ['Staff survey answer about rotas at harrowfield'],
        ['Another harrowfield staff rota answer'],
      ],
      'staff.csv',
    );
    const res = await http(app, moderator)
      .post(`/api/v1/moderation/batches/${id}/reject`)
      .send({ reason: 'Staff survey, not patient feedback; ask Jo on 07700 900789' })
      .expect(200);
    expect(res.body).toMatchObject({ reviewStatus: 'rejected', itemsChanged: 2 });
    const own = await http(app, partnerA).get(`/api/v1/batches/${id}`).expect(200);
    expect(own.body).toMatchObject({
      reviewStatus: 'rejected',
      reviewReason: 'Staff survey, not patient feedback; ask [NAME] on [PHONE]',
    });
    expect((await stored(id)).map((i) => i.moderation_status)).toEqual(['rejected', 'rejected']);
    await http(app, commissioner).get(`/api/v1/batches/${id}`).expect(404);
    expect(await searchIds(commissioner, { q: 'harrowfield' })).toEqual([]);
    expect(await searchIds(partnerA, { q: 'harrowfield' })).toHaveLength(2);
    await http(app, moderator).post(`/api/v1/moderation/batches/${id}/approve`).expect(409);
    const [audit] = await auditRows('batch.reject', id);
    expect(audit.details).toEqual({
      itemsChanged: 2,
      reason: 'Staff survey, not patient feedback; ask [NAME] on [PHONE]',
    });
  });

  it('a trusted organisation’s batch skips review', async () => {
    const { id, reviewStatus } = await partnerUpload(
      trustedPartner,
      [['comment'], ['The willowmere hospice garden is lovely']],
      'trusted.csv',
    );
    expect(reviewStatus).toBe('approved');
    expect((await stored(id)).map((i) => i.moderation_status)).toEqual(['approved']);
    const batch = await http(app, commissioner).get(`/api/v1/batches/${id}`).expect(200);
    expect(batch.body).toMatchObject({ reviewStatus: 'approved' });
    expect(await searchIds(commissioner, { q: 'willowmere' })).toHaveLength(1);
    const queue = await http(app, moderator).get('/api/v1/moderation/batches').expect(200);
    expect((queue.body as PageBody<{ id: string }>).items.map((b) => b.id)).not.toContain(id);
    await http(app, moderator).post(`/api/v1/moderation/batches/${id}/approve`).expect(409);
  });
  it('the batch list filters by review status, and names a bad one', async () => {
    const waiting = await partnerUpload(
      partnerA,
      [['comment'], ['The thornbury clinic list check answer']],
      'list-filter.csv',
    );
    expect(waiting.reviewStatus).toBe('awaiting_review');
    const list = async (reviewStatus: string) => {
      const res = await http(app, moderator).get('/api/v1/batches').query({ reviewStatus });
      expect(res.status).toBe(200);
      return (res.body as PageBody<{ id: string; reviewStatus: string }>).items;
    };
    for (const status of ['awaiting_review', 'approved', 'rejected']) {
      const items = await list(status);
      expect(items.length).toBeGreaterThan(0);
      expect(new Set(items.map((b) => b.reviewStatus))).toEqual(new Set([status]));
    }
    const all = await http(app, moderator).get('/api/v1/batches').expect(200);
    const total = (all.body as { total: number }).total;
    const parts = await Promise.all(
      ['awaiting_review', 'approved', 'rejected'].map(async (reviewStatus) => {
        const r = await http(app, moderator).get('/api/v1/batches').query({ reviewStatus });
        return (r.body as { total: number }).total;
      }),
    );
    expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
    const bad = await http(app, moderator)
      .get('/api/v1/batches')
      .query({ reviewStatus: 'pending' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain(
      'reviewStatus must be one of awaiting_review, approved, rejected',
    );
  });
});
