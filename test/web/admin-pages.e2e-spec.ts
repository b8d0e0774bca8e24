import type { INestApplication } from '@nestjs/common';
import * as fs from 'node:fs';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { IdentityService } from '../../src/access/identity.service';
import type { Role } from '../../src/access/permissions';
import { SESSION_COOKIE } from '../../src/access/http-security';
import { FileStore } from '../../src/batches/file-store';
import { TaggingService } from '../../src/enrichment/tagging/tagging.service';
import { TEST_ICB } from '../support/auth';
import { ensureOrg, upload, waitForBatch } from '../support/batches';
import { createTestApp, truncateAll } from '../support/test-app';

jest.setTimeout(180_000);

const PASSWORD = 'correct horse pages battery';
const CSV = [
  'reference,comment,date,postcode',
  'p-1,The pharmacy ran out of my medication again,2024-04-01,ME7 1AA',
  'p-2,Please call me on 07700 900123 about my appointment,2024-04-02,ME7 1AA',
  'p-3,The ward was clean and quiet,2024-05-02,ME7 1AA',
].join('\n');

interface Session {
  cookie: string;
  token: string;
}

/** The links of a page's error summary: where each points and what it says. */
function summaryLinks(html: string): Array<{ href: string; text: string }> {
  const start = html.indexOf('nhsuk-error-summary__list');
  if (start === -1) return [];
  const list = html.slice(start, html.indexOf('</ul>', start));
  return [...list.matchAll(/<a href="([^"]+)"[^>]*>\s*([\s\S]*?)\s*<\/a>/g)].map((m) => ({
    href: m[1],
    text: m[2],
  }));
}

describe('upload, batch, moderation, trends and theme pages over HTTP', () => {
  let app: INestApplication<App>;
  const server = () => app.getHttpServer();
  let users = 0;

  async function session(role: Role, organisation: string): Promise<Session> {
    const email = `${role}.${++users}@pages.example.org`;
    await app
      .get(IdentityService, { strict: false })
      .createUser({ email, role, organisation, password: PASSWORD });
    const res = await request(server())
      .post('/api/v1/auth/sign-in')
      .send({ email, password: PASSWORD });
    expect(res.status).toBe(200);
    const raw = ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    return { cookie: raw.split(';')[0], token: (res.body as { csrfToken: string }).csrfToken };
  }

  function get(s: Session, url: string): request.Test {
    return request(server()).get(url).set('cookie', s.cookie).set('accept', 'text/html');
  }

  function uploadForm(s: Session, query: string, fields: Record<string, string>): request.Test {
    let t = request(server()).post(`/upload${query}`).set('cookie', s.cookie);
    for (const [k, v] of Object.entries(fields)) t = t.field(k, v);
    return t;
  }

  function incomingFiles(): string[] {
    const dir = app.get(FileStore).incomingDir();
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  }

  beforeAll(async () => {
    app = await createTestApp();
    await truncateAll(app);
    await app.get(TaggingService).ensureSeeded();
    await ensureOrg(app, 'hw-pages', 'healthwatch');
    await ensureOrg(app, 'hw-other', 'healthwatch');
  });
  afterAll(async () => {
    await app?.close();
  });

  describe('the upload form', () => {
    let partner: Session;
    let batchId: string;

    beforeAll(async () => {
      partner = await session('partner', 'hw-pages');
    });

    it('puts the session’s token in the form’s address, as the multipart body is read after the check', async () => {
      const res = await get(partner, '/upload');
      expect(res.status).toBe(200);
      expect(res.text).toContain(
        `action="/upload?_csrf=${encodeURIComponent(partner.token)}" method="post" enctype="multipart/form-data"`,
      );
      // Pages send no Referer, so the address does not carry the token elsewhere.
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      // Partners upload for their own organisation: there is nothing to choose.
      expect(res.text).not.toContain('id="organisation"');
    });

    it('refuses an upload without the token, or with a wrong one, and stores nothing', async () => {
      const fields = { sourceType: 'survey', title: 'No token' };
      // In the body the token is still unread when the guard checks it: it does not count there.
      const inBody = await uploadForm(partner, '', { ...fields, _csrf: partner.token }).attach(
        'file',
        Buffer.from(CSV),
        'a.csv',
      );
      expect(inBody.status).toBe(403);
      for (const query of ['', '?_csrf=not-the-token']) {
        const res = await uploadForm(partner, query, fields).attach(
          'file',
          Buffer.from(CSV),
          'a.csv',
        );
        expect(res.status).toBe(403);
        expect(res.text).toContain('The form has expired');
      }
      // The token in the address counts for multipart uploads only.
      const form = await request(server())
        .post(`/sign-out?_csrf=${encodeURIComponent(partner.token)}`)
        .set('cookie', partner.cookie)
        .type('form')
        .send({});
      expect(form.status).toBe(403);
      const [{ n }] = await app
        .get(DataSource)
        .query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM batch`);
      expect(n).toBe(0);
    });

    it('names each problem by field, and leaves no file behind', async () => {
      const before = incomingFiles().length;
      const res = await uploadForm(partner, `?_csrf=${partner.token}`, {
        sourceType: 'survey',
        title: '',
        'collectedFrom[day]': '31',
        'collectedFrom[month]': '2',
        'collectedFrom[year]': '2024',
      }).attach('file', Buffer.from(CSV), 'a.csv');
      expect(res.status).toBe(400);
      expect(res.text).toContain('<title>Error: Upload feedback – Insight Bank</title>');
      expect(summaryLinks(res.text)).toEqual([
        { href: '#title', text: 'Enter a title' },
        { href: '#collectedFrom-day', text: 'Start of collection must be a real date' },
      ]);

      const twoFiles = await uploadForm(partner, `?_csrf=${partner.token}`, {
        sourceType: 'survey',
        title: 'Two files',
      })
        .attach('file', Buffer.from(CSV), 'a.csv')
        .attach('file', Buffer.from(CSV), 'b.csv');
      expect(twoFiles.status).toBe(400);
      expect(summaryLinks(twoFiles.text)).toEqual([
        { href: '#file', text: 'Select one file to upload' },
      ]);

      const noText = await uploadForm(partner, `?_csrf=${partner.token}`, {
        sourceType: 'survey',
        title: 'No comment column',
      }).attach('file', Buffer.from('colour,size\nred,big\n'), 'shapes.csv');
      expect(noText.status).toBe(400);
      const [problem] = summaryLinks(noText.text);
      expect(problem.href).toBe('#file');
      expect(problem.text).toMatch(/comment|text/i);
      expect(incomingFiles().length).toBe(before);
    });

    it('uploads for the partner’s own organisation whatever the form says, audits it, and shows the batch', async () => {
      const res = await uploadForm(partner, `?_csrf=${partner.token}`, {
        organisation: TEST_ICB,
        sourceType: 'roadshow',
        title: 'Pharmacy cards',
        sharingLevel: 'system',
        'retentionUntil[day]': '1',
        'retentionUntil[month]': '1',
        'retentionUntil[year]': '2040',
      }).attach('file', Buffer.from(CSV), 'cards.csv');
      expect(res.status).toBe(303);
      const location = String(res.headers.location);
      expect(location).toMatch(/^\/batches\/[0-9a-f-]{36}$/);
      batchId = location.split('/').pop()!;
      const [batch] = await app.get(DataSource).query<
        Array<{
          code: string;
          sharing_level: string;
          retention_until: string;
          review_status: string;
        }>
      >(
        `SELECT o.code, b.sharing_level, to_char(b.retention_until, 'YYYY-MM-DD') AS retention_until, b.review_status
           FROM batch b JOIN organisation o ON o.id = b.organisation_id WHERE b.id = $1`,
        [batchId],
      );
      expect(batch).toEqual({
        code: 'hw-pages',
        sharing_level: 'system',
        retention_until: '2040-01-01',
        review_status: 'awaiting_review',
      });
      const audit = await app
        .get(DataSource)
        .query<Array<{ details: Record<string, string> }>>(
          `SELECT details FROM audit_event WHERE action = 'batch.upload' AND target_id = $1`,
          [batchId],
        );
      expect(audit.map((a) => a.details)).toEqual([
        { sourceType: 'roadshow', sharingLevel: 'system', reviewStatus: 'awaiting_review' },
      ]);

      const page = await get(partner, location);
      expect(page.status).toBe(200);
      expect(page.text).toContain('File uploaded');
      expect(page.text).toContain('Pharmacy cards');
      await waitForBatch(app, batchId);
      const done = await get(partner, location);
      expect(done.text).toContain(`href="/api/v1/batches/${batchId}/rejections" download`);
      expect(done.text).not.toContain('data-batch-refresh-link');
      expect(done.text).toMatch(/data-batch-count="accepted">3</);
    });

    it('answers the same file again with the batch it made', async () => {
      const res = await uploadForm(partner, `?_csrf=${partner.token}`, {
        sourceType: 'roadshow',
        title: 'Pharmacy cards again',
      }).attach('file', Buffer.from(CSV), 'cards-again.csv');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/batches/${batchId}`);
    });

    it('hides the batch from another organisation’s partner, exactly as if it did not exist', async () => {
      const other = await session('partner', 'hw-other');
      const res = await get(other, `/batches/${batchId}`);
      expect(res.status).toBe(404);
      expect(res.text).toContain('Page not found');
      const list = await get(other, '/batches');
      expect(list.text).not.toContain('Pharmacy cards');
      expect(list.text).toContain('No batches');
    });

    it('lets a moderator correct a redaction, and refuses an empty correction on the form', async () => {
      const moderator = await session('moderator', TEST_ICB);
      const [item] = await app
        .get(DataSource)
        .query<Array<{ id: string }>>(
          `SELECT id FROM insight WHERE batch_id = $1 AND text LIKE '%[PHONE]%'`,
          [batchId],
        );
      const empty = await request(server())
        .post(`/moderation/batches/${batchId}/items/${item.id}/text`)
        .set('cookie', moderator.cookie)
        .type('form')
        .send({ _csrf: moderator.token, text: '   ', flag: 'pii' });
      expect(empty.status).toBe(400);
      expect(summaryLinks(empty.text)).toEqual([
        { href: `#text-${item.id}`, text: 'Enter the corrected comment' },
      ]);

      const saved = await request(server())
        .post(`/moderation/batches/${batchId}/items/${item.id}/text`)
        .set('cookie', moderator.cookie)
        .type('form')
        .send({
          _csrf: moderator.token,
          text: 'Please phone 07700 900999 about my appointment',
          flag: 'pii',
        });
      expect(saved.status).toBe(303);
      expect(saved.headers.location).toBe(
        `/moderation/batches/${batchId}?flag=pii#item-${item.id}`,
      );
      const [row] = await app
        .get(DataSource)
        .query<Array<{ text: string }>>(`SELECT text FROM insight WHERE id = $1`, [item.id]);
      expect(row.text).toBe('Please phone [PHONE] about my appointment');
    });
  });

  it('lets an admin upload for another organisation, approved at once', async () => {
    const admin = await session('admin', TEST_ICB);
    const form = await get(admin, '/upload');
    expect(form.text).toContain('id="organisation"');
    expect(form.text).toMatch(/<option value="hw-other"[^>]*>Test hw-other \(hw-other\)<\/option>/);
    const res = await uploadForm(admin, `?_csrf=${admin.token}`, {
      organisation: 'hw-other',
      sourceType: 'survey',
      title: 'On behalf of a partner',
    }).attach('file', Buffer.from(CSV.replace('p-1', 'q-1')), 'behalf.csv');
    expect(res.status).toBe(303);
    const id = String(res.headers.location).split('/').pop()!;
    const [batch] = await app
      .get(DataSource)
      .query<Array<{ code: string; review_status: string }>>(
        `SELECT o.code, b.review_status FROM batch b JOIN organisation o ON o.id = b.organisation_id WHERE b.id = $1`,
        [id],
      );
    expect(batch).toEqual({ code: 'hw-other', review_status: 'approved' });
    await waitForBatch(app, id);
  });

  it('writes trend counts of a population group in words for roles that see them perturbed', async () => {
    const res = await upload(app, Buffer.from(CSV.replace(/p-/g, 't-')), 'icb.csv', {
      organisation: TEST_ICB,
    });
    await waitForBatch(app, (res.body as { id: string }).id);
    const commissioner = await session('commissioner', TEST_ICB);
    // Not split by a population group: exact, small counts included.
    const exact = await get(commissioner, '/trends');
    expect(exact.status).toBe(200);
    expect(exact.text).not.toContain('&lt;10*');
    const page = await get(commissioner, '/trends?sex=unknown');
    expect(page.status).toBe(200);
    expect(page.text).toContain(
      '&lt;10*</span><span class="nhsuk-u-visually-hidden">fewer than 10</span>',
    );
    expect(page.text).toContain('* &lt;10: fewer than 10 comments');
    expect(page.text).toMatch(/for sex unknown/i);

    const analyst = await session('analyst', TEST_ICB);
    const open = await get(analyst, '/trends?sex=unknown');
    expect(open.text).not.toContain('&lt;10*');

    const bad = await get(analyst, '/trends?sourceType=carrier_pigeon');
    expect(bad.status).toBe(400);
    expect(summaryLinks(bad.text).map((l) => l.href)).toEqual(['#sourceType']);
  });

  describe('the theme pages', () => {
    it('shows a reader the theme without a form, and refuses a reader’s change with a page', async () => {
      const analyst = await session('analyst', TEST_ICB);
      const page = await get(analyst, '/taxonomy/parking');
      expect(page.status).toBe(200);
      expect(page.text).toContain('car park');
      expect(page.text).not.toContain('Edit this theme');
      const res = await request(server())
        .post('/taxonomy/parking')
        .set('cookie', analyst.cookie)
        .type('form')
        .send({ _csrf: analyst.token, name: 'Cars' });
      expect(res.status).toBe(403);
      expect(res.text).toContain('You do not have permission to see this page');
    });

    it('adds a theme, audits it, and names a code already taken', async () => {
      const moderator = await session('moderator', TEST_ICB);
      const form = {
        _csrf: moderator.token,
        code: 'drop_off',
        name: 'Drop-off and pick-up',
        kind: 'sub_theme',
        parentCode: 'location_and_transport',
        description: 'Dropping patients off at the door',
        phrases: 'drop off\npick up point\n',
        exclude: '',
      };
      const res = await request(server())
        .post('/taxonomy/new-theme')
        .set('cookie', moderator.cookie)
        .type('form')
        .send(form);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/taxonomy/drop_off');
      const theme = await get(moderator, '/taxonomy/drop_off');
      expect(theme.text).toContain('Theme added');
      expect(theme.text).toContain('pick up point');
      const [audit] = await app
        .get(DataSource)
        .query<Array<{ details: unknown }>>(
          `SELECT details FROM audit_event WHERE action = 'taxonomy.change' AND target_id = 'drop_off'`,
        );
      expect(audit.details).toEqual({ change: 'create' });

      const again = await request(server())
        .post('/taxonomy/new-theme')
        .set('cookie', moderator.cookie)
        .type('form')
        .send(form);
      expect(again.status).toBe(400);
      expect(summaryLinks(again.text)).toEqual([
        { href: '#code', text: 'Theme drop_off already exists' },
      ]);
    });
  });
});
