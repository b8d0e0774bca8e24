import { http } from '../support/auth';
import type { INestApplication } from '@nestjs/common';
import * as ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { createTestApp, truncateAll } from '../support/test-app';
import { ensureOrg, insightTexts, upload, waitForBatch } from '../support/batches';

/** Files made the way real exports are, each imported through the API with exact counts and text intact. */
describe('importing real-world file shapes', () => {
  let app: INestApplication<App>;

  beforeAll(async () => {
    app = await createTestApp();
    await truncateAll(app);
    await ensureOrg(app);
  });
  afterAll(async () => {
    await app.close();
  });

  async function importAndWait(file: Buffer, name: string, fields: Record<string, string> = {}) {
    const res = await upload(app, file, name, fields);
    expect(res.status).toBe(202);
    const batch = await waitForBatch(app, (res.body as { id: string }).id);
    return { batch, rows: await insightTexts(app, batch.id) };
  }

  it('Windows-1252 CSV from Excel: £, é and curly quotes survive', async () => {
    const csv = [
      'Comment,Date,Postcode District',
      '"Paid £4.50 to park at the hospital, the café was shut",03/04/2024,ME7',
      'The nurse was lovely – “really kind”,15/01/2024,CT9',
      'Renée at reception helped me re-book,2024-02-01,TN23',
      'N/A,01/02/2024,DA1',
    ].join('\r\n');
    const { batch, rows } = await importAndWait(iconv.encode(csv, 'win1252'), 'excel-export.csv');
    expect(batch.status).toBe('complete');
    expect(batch.counts).toEqual({
      received: 4,
      accepted: 3,
      updated: 0,
      rejected: 1,
      duplicates: 0,
      indexed: 3,
    });
    expect(rows.map((r) => r.text)).toEqual([
      'Paid £4.50 to park at the hospital, the café was shut',
      'The nurse was lovely – “really kind”',
      'Renée at reception helped me re-book',
    ]);
    expect(rows.map((r) => r.comment_date)).toEqual(['2024-04-03', '2024-01-15', '2024-02-01']);
  });

  it('demographics are normalised; values not recognised are kept as given and counted', async () => {
    const csv =
      'comment,age,sex,ethnicity\nThe ward was clean,45,male ,White British\nKind nurses,1979,F,Martian\nToo noisy at night,Prefer not to say,N/K,Asian or Asian British: Pakistani\n';
    const { batch } = await importAndWait(Buffer.from(csv), 'demographics.csv');
    expect(batch.counts.accepted).toBe(3);
    expect(batch.errorSummary['unrecognised:ethnicity']).toBe(1);
    const rows = await app.get(DataSource).query<
      Array<{
        age_band: string;
        sex: string;
        ethnicity_group: string;
        ethnicity_detail: string;
        metadata: Record<string, string>;
      }>
    >(`SELECT age_band, sex, ethnicity_group, ethnicity_detail, metadata FROM insight WHERE batch_id = $1 ORDER BY row_number`, [batch.id]);
    expect(rows.map((r) => [r.age_band, r.sex, r.ethnicity_group])).toEqual([
      ['45-54', 'male', 'white'],
      [expect.stringMatching(/^(35-44|45-54)$/), 'female', 'unknown'],
      ['prefer_not_to_say', 'unknown', 'asian'],
    ]);
    expect(rows[2].ethnicity_detail).toBe('asian_pakistani');
    expect(rows[1].metadata.unrecognised_ethnicity).toBe('Martian');
  });

  it('lists batches newest first with filters, and names bad list parameters', async () => {
    const all = await http(app).get('/api/v1/batches?pageSize=2').expect(200);
    const body = all.body as {
      items: Array<{ id: string; createdAt?: string; timings: { createdAt: string } }>;
      total: number;
      page: number;
      pageSize: number;
    };
    expect(body.total).toBeGreaterThanOrEqual(2);
    expect(body.items).toHaveLength(2);
    expect(body.items[0].timings.createdAt >= body.items[1].timings.createdAt).toBe(true);
    const complete = await http(app)
      .get('/api/v1/batches?status=complete&organisation=hw-test')
      .expect(200);
    expect((complete.body as { total: number }).total).toBe(body.total);
    const failed = await http(app).get('/api/v1/batches?status=failed').expect(200);
    expect((failed.body as { total: number }).total).toBe(0);
    const bad = await http(app).get('/api/v1/batches?pageSize=500&status=done').expect(400);
    expect((bad.body as { message: string }).message).toContain('pageSize');
    expect((bad.body as { message: string }).message).toContain('status');
  });

  it('UTF-8 CSV with a BOM and semicolons', async () => {
    const csv =
      '\uFEFFFeedback;Age;Sex\nWaited three weeks for a GP appointment;45;F\nLovely staff, thank you;72;M\n';
    const { batch, rows } = await importAndWait(Buffer.from(csv, 'utf8'), 'semicolon.csv');
    expect(batch.counts).toEqual({
      received: 2,
      accepted: 2,
      updated: 0,
      rejected: 0,
      duplicates: 0,
      indexed: 2,
    });
    expect(rows.map((r) => r.text)).toEqual([
      'Waited three weeks for a GP appointment',
      'Lovely staff, thank you',
    ]);
  });

  it('quoted newlines inside comments keep their rows together', async () => {
    const csv =
      'id,comment\n1,"First line\nsecond line\nthird line"\n2,"Short, with a comma"\n3,"He said ""come back tomorrow"""\n';
    const { batch, rows } = await importAndWait(Buffer.from(csv, 'utf8'), 'multiline.csv');
    expect(batch.counts).toEqual({
      received: 3,
      accepted: 3,
      updated: 0,
      rejected: 0,
      duplicates: 0,
      indexed: 3,
    });
    expect(rows.map((r) => r.text)).toEqual([
      'First line\nsecond line\nthird line',
      'Short, with a comma',
      'He said "come back tomorrow"',
    ]);
    expect(rows.map((r) => r.row_number)).toEqual([2, 5, 6]);
  });

  it('XLSX with Excel serial dates and a blank row', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Responses');
    ws.addRow(['Date', 'Comments', 'Location']);
    ws.addRow([45383, 'Discharge was well organised', 'Ward 7']); // serial for 2024-04-01
    ws.getCell('A2').numFmt = 'dd/mm/yyyy';
    ws.addRow([]);
    ws.addRow([
      new Date(Date.UTC(2024, 5, 30)),
      'Parking at Maidstone is impossible',
      'Outpatients',
    ]);
    const { batch, rows } = await importAndWait(
      Buffer.from(await wb.xlsx.writeBuffer()),
      'responses.xlsx',
    );
    expect(batch.counts).toEqual({
      received: 2,
      accepted: 2,
      updated: 0,
      rejected: 0,
      duplicates: 0,
      indexed: 2,
    });
    expect(rows.map((r) => [r.text, r.comment_date])).toEqual([
      ['Discharge was well organised', '2024-04-01'],
      ['Parking at Maidstone is impossible', '2024-06-30'],
    ]);
  });

  it('UTF-16LE tab-separated text as Excel saves "Unicode Text"', async () => {
    const tsv =
      'Comment\tEthnicity\r\nThe café staff listened to me\tWhite British\r\nAppointment letters arrive late\tAsian or Asian British: Pakistani\r\n';
    const file = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(tsv, 'utf16le')]);
    const { batch, rows } = await importAndWait(file, 'unicode.txt.csv');
    expect(batch.counts).toEqual({
      received: 2,
      accepted: 2,
      updated: 0,
      rejected: 0,
      duplicates: 0,
      indexed: 2,
    });
    expect(rows.map((r) => r.text)).toEqual([
      'The café staff listened to me',
      'Appointment letters arrive late',
    ]);
  });

  it('NDJSON with a repeated comment counted as a duplicate', async () => {
    const lines = [
      { comment: 'The 111 call handler was calm and clear', date: '2024-03-03' },
      { comment: 'Could not get through on the phone at 8am', date: '2024-03-04' },
      { comment: 'The 111 call handler was calm and clear', date: '2024-03-03' },
      { comment: '   ', date: '2024-03-05' },
    ];
    const { batch, rows } = await importAndWait(
      Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n')),
      'feedback.ndjson',
    );
    expect(batch.counts).toEqual({
      received: 4,
      accepted: 2,
      updated: 0,
      rejected: 1,
      duplicates: 1,
      indexed: 2,
    });
    expect(rows.map((r) => r.row_number)).toEqual([1, 2]);
    const csv = await http(app).get(`/api/v1/batches/${batch.id}/rejections`).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const csvLines = csv.text.trim().split('\n');
    expect(csvLines[0]).toBe('row_number,part,outcome,reason,field,message,duplicate_of');
    expect(csvLines.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual([
      '3,0,duplicate,duplicate',
      '4,0,rejected,empty_comment',
    ]);
    expect(csv.text).not.toContain('111 call handler'); // reasons, never the comment text
  });
});
