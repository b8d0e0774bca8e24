import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { IdentityService } from '../../src/access/identity.service';
import { SESSION_COOKIE } from '../../src/access/http-security';
import { http, keyFor } from '../support/auth';
import { ensureOrg, upload, waitForBatch } from '../support/batches';
import { createTestApp, truncateAll } from '../support/test-app';

jest.setTimeout(180_000);

/** A file in the national patient experience upload shape, every demographic answer coded. */
const NATIONAL = [
  'comment_id,date,location_1,comment_type,comment_txt,fft,sex,gender,age,ethnicity,sexuality,disability,religion,carer',
  'N1,2024-03-01,Maidstone Hospital,What was good?,The nurses were kind and quick,1,F,Female,18-25,A,S,Y,C,0',
  'N2,2024-03-02,Maidstone Hospital,What could be better?,The car park was full again,4,M,Male,45,H,G,N,M,1',
  'N3,2024-03-03,Darent Valley,What was good?,Clear explanation of my treatment,2,2,Female,67,N,B,N,S,0',
  'N4,2024-03-04,Darent Valley,What could be better?,Waited two hours to be seen,3,1,Male,30,Z,Z,Z,N,1',
  'N5,2024-03-05,Darent Valley,What was good?,Lovely food on the ward,1,F,Female,81,R,2,Y,Z,0',
].join('\n');

interface Demographic {
  external_ref: string;
  sexual_orientation: string;
  religion: string;
  disability: string;
  carer: string;
  ethnicity_group: string;
}

interface BatchWithUnplaced {
  id: string;
  status: string;
  errorSummary: Record<string, number>;
  unplacedValues: Record<string, Array<{ value: string; count: number }>> | null;
}

describe('coded answers: the national shape, partner value maps and answers not placed', () => {
  let app: INestApplication<App>;

  beforeAll(async () => {
    app = await createTestApp();
    await truncateAll(app);
    await ensureOrg(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function demographics(batchId: string): Promise<Demographic[]> {
    return app.get(DataSource).query(
      `SELECT external_ref, sexual_orientation, religion, disability, carer, ethnicity_group
           FROM insight WHERE batch_id = $1 ORDER BY row_number`,
      [batchId],
    );
  }

  async function finished(res: request.Response): Promise<BatchWithUnplaced> {
    expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status: 202 });
    await waitForBatch(app, (res.body as { id: string }).id);
    const got = await http(app).get(`/api/v1/batches/${(res.body as { id: string }).id}`);
    return got.body as BatchWithUnplaced;
  }

  it('places every coded answer of a file in the national shape', async () => {
    const batch = await finished(await upload(app, Buffer.from(NATIONAL), 'national.csv'));
    expect(batch.status).toBe('complete');
    expect(Object.keys(batch.errorSummary).filter((k) => k.startsWith('unrecognised:'))).toEqual(
      [],
    );
    expect(batch.unplacedValues).toBeNull();
    expect(await demographics(batch.id)).toEqual([
      {
        external_ref: 'N1',
        sexual_orientation: 'heterosexual',
        religion: 'christian',
        disability: 'yes',
        carer: 'no',
        ethnicity_group: 'white',
      },
      {
        external_ref: 'N2',
        sexual_orientation: 'gay_or_lesbian',
        religion: 'muslim',
        disability: 'no',
        carer: 'yes',
        ethnicity_group: 'asian',
      },
      {
        external_ref: 'N3',
        sexual_orientation: 'bisexual',
        religion: 'sikh',
        disability: 'no',
        carer: 'no',
        ethnicity_group: 'black',
      },
      {
        external_ref: 'N4',
        sexual_orientation: 'prefer_not_to_say',
        religion: 'no_religion',
        disability: 'prefer_not_to_say',
        carer: 'yes',
        ethnicity_group: 'prefer_not_to_say',
      },
      {
        external_ref: 'N5',
        sexual_orientation: 'gay_or_lesbian',
        religion: 'prefer_not_to_say',
        disability: 'yes',
        carer: 'no',
        ethnicity_group: 'asian',
      },
    ]);
  });

  /** A partner's own codes: religion 7 and 8, carer C and X, ethnicity WBRI; two answers nobody can place. */
  const OWN = [
    'ref,comment,religion,carer,ethnicity',
    'P1,The GP listened to me properly,7,C,WBRI',
    'P2,Hard to get an appointment this month,8,X,wbri',
    'P3,The pharmacy was helpful,7,C,WBRI',
    'P4,Reception staff were rude to my mum,Jedi knight of the order,C,WBRI',
    'P5,Clinic ran late but staff apologised,Jedi knight of the order,C,WBRI',
    'P6,Ring me on 07700 900123 please,Ring 07700 900123,X,WBRI',
  ].join('\n');
  const OWN_MAP = JSON.stringify({
    religion: { '7': 'Sikh', ' 8 ': 'no religion' },
    carer: { c: 'yes', X: 'no' },
    ethnicity: { WBRI: 'White British' },
  });
  let ownBatchId: string;

  it("applies a partner's value map given with the upload (API)", async () => {
    const batch = await finished(
      await upload(app, Buffer.from(OWN), 'own-codes.csv', {
        profile: 'generic',
        valueMap: OWN_MAP,
        sharingLevel: 'system',
      }),
    );
    ownBatchId = batch.id;
    expect(batch.status).toBe('complete');
    const rows = await demographics(batch.id);
    expect(rows.map((r) => [r.external_ref, r.religion, r.carer, r.ethnicity_group])).toEqual([
      ['P1', 'sikh', 'yes', 'white'],
      ['P2', 'no_religion', 'no', 'white'],
      ['P3', 'sikh', 'yes', 'white'],
      ['P4', 'unknown', 'yes', 'white'],
      ['P5', 'unknown', 'yes', 'white'],
      ['P6', 'unknown', 'no', 'white'],
    ]);
    const [stored] = await app
      .get(DataSource)
      .query<Array<{ value_map: unknown }>>(`SELECT value_map FROM batch WHERE id = $1`, [
        batch.id,
      ]);
    expect(stored.value_map).toEqual({
      religion: { '7': 'Sikh', '8': 'no religion' },
      carer: { c: 'yes', x: 'no' },
      ethnicity: { wbri: 'White British' },
    });
  });

  it('lists the answers it could not place, de-identified, cut short, with counts (API)', async () => {
    const res = await http(app).get(`/api/v1/batches/${ownBatchId}`);
    const batch = res.body as BatchWithUnplaced;
    expect(batch.errorSummary['unrecognised:religion']).toBe(3);
    expect(batch.unplacedValues).toEqual({
      religion: [
        { value: 'Jedi knight of the order', count: 2 },
        { value: 'Ring [PHONE]', count: 1 },
      ],
    });
    expect(JSON.stringify(res.body)).not.toContain('07700');
  });

  it('shows them on the batch page to the uploading side, and to nobody else', async () => {
    const page = await http(app).get(`/batches/${ownBatchId}`).set('accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Answers that could not be placed');
    expect(page.text).toMatch(/data-batch-unplaced="religion"/);
    expect(page.text).toMatch(/Jedi knight of the order<\/td>\s*<td[^>]*>2</);
    expect(page.text).toContain('Ring [PHONE]');
    expect(page.text).not.toContain('07700');

    // Another organisation's partner sees the batch (sharing level "system") but not its answers.
    const other = await keyFor(app, 'partner', 'hw-values-other');
    const theirs = await http(app, other).get(`/api/v1/batches/${ownBatchId}`);
    expect(theirs.status).toBe(200);
    expect((theirs.body as BatchWithUnplaced).unplacedValues).toBeNull();
    const theirPage = await http(app, other)
      .get(`/batches/${ownBatchId}`)
      .set('accept', 'text/html');
    expect(theirPage.status).toBe(200);
    expect(theirPage.text).not.toContain('Answers that could not be placed');
  });

  it('forgets the answers when the batch is deleted (its tombstone keeps none)', async () => {
    const res = await upload(
      app,
      Buffer.from('ref,comment,religion\nD1,The ward was calm at night,Jedi\n'),
      'deleted-answers.csv',
      { profile: 'generic' },
    );
    const batch = await finished(res);
    expect(batch.unplacedValues).toEqual({ religion: [{ value: 'Jedi', count: 1 }] });
    const del = await http(app).delete(`/api/v1/batches/${batch.id}`).send({});
    expect(del.status).toBe(200);
    const [row] = await app
      .get(DataSource)
      .query<Array<{ status: string; unplaced_values: unknown }>>(
        `SELECT status, unplaced_values FROM batch WHERE id = $1`,
        [batch.id],
      );
    expect(row).toEqual({ status: 'deleted', unplaced_values: null });
  });

  it('cuts a long answer to 40 characters', async () => {
    const long = 'A very long religion answer that goes on and on and on';
    const batch = await finished(
      await upload(
        app,
        Buffer.from(`ref,comment,religion\nL1,The waiting room was clean,${long}\n`),
        'long-answer.csv',
        { profile: 'generic' },
      ),
    );
    const [{ value }] = batch.unplacedValues!.religion;
    expect(value).toHaveLength(40);
    expect(value).toBe(`${long.slice(0, 39)}…`);
  });

  it.each([
    ['not JSON', '{religion:', /valueMap must be JSON/],
    ['not an object of fields', '["Sikh"]', /valueMap must be a JSON object of fields/],
    [
      'a column header instead of a field',
      '{"Faith":{"7":"Sikh"}}',
      /valueMap: unknown field "Faith" \(fields are age, sex, gender/,
    ],
    [
      'a field whose answers are not mapped',
      '{"text":{"a":"b"}}',
      /valueMap: "text" is not a field whose answers can be mapped/,
    ],
    [
      'codes that are not an object of strings',
      '{"religion":{"7":7}}',
      /valueMap\.religion\."7" must be an answer written as text/,
    ],
    [
      'an answer the bank cannot place',
      '{"religion":{"7":"Sikhh"}}',
      /valueMap\.religion\."7": "Sikhh" is not an answer the bank can place for religion/,
    ],
    [
      'a field no column is read as',
      '{"sexuality":{"S":"straight"}}',
      /value map has codes for sexuality, but no column of the file is read as that field/,
    ],
  ])(
    'refuses a value map that is %s with a 400 naming the problem',
    async (_what, map, message) => {
      const res = await upload(
        app,
        Buffer.from(`ref,comment,religion\nB1,Fine thanks,7\n`),
        `bad-map-${Date.now()}.csv`,
        { profile: 'generic', valueMap: map },
      );
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'invalid_input' });
      expect((res.body as { message: string }).message).toMatch(message);
    },
  );

  describe('the upload page', () => {
    const PASSWORD = 'correct horse battery staple';

    async function signIn(): Promise<{ cookie: string; token: string }> {
      const email = `partner.values@pages.example.org`;
      await app
        .get(IdentityService, { strict: false })
        .createUser({ email, role: 'partner', organisation: 'hw-test', password: PASSWORD });
      const res = await request(app.getHttpServer())
        .post('/api/v1/auth/sign-in')
        .send({ email, password: PASSWORD });
      expect(res.status).toBe(200);
      const raw = ([] as string[])
        .concat(res.headers['set-cookie'] ?? [])
        .find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
      return { cookie: raw.split(';')[0], token: (res.body as { csrfToken: string }).csrfToken };
    }

    it('has a value map next to the column map, refuses a bad one against it and applies a good one', async () => {
      const s = await signIn();
      const form = await request(app.getHttpServer())
        .get('/upload')
        .set('cookie', s.cookie)
        .set('accept', 'text/html');
      expect(form.text).toMatch(/<textarea[^>]*id="columnMap"/);
      expect(form.text).toMatch(/<textarea[^>]*id="valueMap"/);

      const post = (valueMap: string, name: string) =>
        request(app.getHttpServer())
          .post(`/upload?_csrf=${encodeURIComponent(s.token)}`)
          .set('cookie', s.cookie)
          .field('sourceType', 'roadshow')
          .field('title', 'Cards with faith codes')
          .field('sharingLevel', 'icb')
          .field('dateOrder', 'dmy')
          .field('valueMap', valueMap)
          .attach('file', Buffer.from('ref,comment,religion\nW1,Staff were lovely,7\n'), name);

      const refused = await post('{"Faith":{"7":"Sikh"}}', 'faith-1.csv');
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('href="#valueMap"');
      expect(refused.text).toContain('valueMap: unknown field &quot;Faith&quot;');
      // What was typed comes back in the textarea.
      expect(refused.text).toMatch(/<textarea[^>]*id="valueMap"[^>]*>\{&quot;Faith&quot;/);

      const accepted = await post('{"religion":{"7":"Sikh"}}', 'faith-2.csv');
      expect(accepted.status).toBe(303);
      const id = /\/batches\/([0-9a-f-]{36})/.exec(accepted.headers.location)![1];
      await waitForBatch(app, id);
      expect((await demographics(id)).map((r) => r.religion)).toEqual(['sikh']);
    });
  });
});
