import { http } from '../support/auth';
import type { INestApplication } from '@nestjs/common';
import * as ExcelJS from 'exceljs';
import { buildZip, minimalWorkbookParts } from '../../ingestion/adapters/test-fixtures.spec-helper';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { createTestApp, truncateAll } from '../support/test-app';
import { ensureOrg, rowCounts, upload, waitForBatch } from '../support/batches';

/** Every kind of bad file gets a clear error (4xx, or a failed batch with the reason) and leaves no rows. */
describe('bad input', () => {
  let app: INestApplication<App>;
  const savedLimit = process.env.UPLOAD_MAX_BYTES;

  beforeAll(async () => {
    process.env.UPLOAD_MAX_BYTES = String(2 * 1024 * 1024);
    process.env.XLSX_MAX_UNCOMPRESSED_BYTES = String(20 * 1024 * 1024);
    app = await createTestApp();
    await truncateAll(app);
    await ensureOrg(app);
  });
  afterAll(async () => {
    await app.close();
    process.env.UPLOAD_MAX_BYTES = savedLimit;
    delete process.env.XLSX_MAX_UNCOMPRESSED_BYTES;
  });

  async function totalRows(): Promise<number> {
    const [r] = await app
      .get(DataSource)
      .query<Array<{ n: number }>>(
        `SELECT ((SELECT count(*) FROM insight) + (SELECT count(*) FROM rejected_row))::int AS n`,
      );
    return r.n;
  }

  it('junk bytes named .csv: 400 naming the problem', async () => {
    const junk = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256));
    const res = await upload(app, junk, 'export.csv');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_input');
    expect(res.body.message).toMatch(/not a text file|binary|unreadable|cannot be read/i);
    expect(await totalRows()).toBe(0);
  });

  it('an empty file: 400', async () => {
    const res = await upload(app, Buffer.alloc(0), 'empty.csv');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/empty/i);
  });

  it('a file over the limit: 413 with the limit in the message', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 'a');
    const res = await upload(app, big, 'big.csv');
    expect(res.status).toBe(413);
    expect(res.body.message).toContain('2 MB');
    expect(await totalRows()).toBe(0);
  });

  it('a file with no text column: 400 listing the headers seen', async () => {
    const res = await upload(app, Buffer.from('date,age,sex\n2024-01-01,45,F\n'), 'no-text.csv');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/comment|text/i);
    expect(res.body.message).toContain('date');
  });

  it('a missing or wrong field: 400 naming each field', async () => {
    const res = await upload(app, Buffer.from('comment\nfine\n'), 'x.csv', {
      sourceType: 'gossip',
      title: '',
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('sourceType');
    expect(res.body.message).toContain('title');
  });

  it('a JSON syntax error at record 5,000: a failed batch naming the row, no partial rows', async () => {
    const records = Array.from({ length: 6000 }, (_, i) =>
      JSON.stringify({ comment: `Comment number ${i + 1} about the ward`, ref: `R${i}` }),
    );
    records[4999] = '{"comment": "broken", ';
    const res = await upload(app, Buffer.from(`[${records.join(',\n')}]`), 'broken.json');
    expect(res.status).toBe(202);
    const batch = await waitForBatch(app, res.body.id);
    expect(batch.status).toBe('failed');
    expect(batch.errorMessage).toMatch(/5,?000/);
    expect(await rowCounts(app, batch.id)).toEqual({ insights: 0, rejected: 0, chunks: 0 });
  });

  it('a truncated XLSX: a failed batch, no rows', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    ws.addRow(['Comment']);
    for (let i = 0; i < 2000; i++) ws.addRow([`Comment ${i} about waiting times at the surgery`]);
    const full = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await upload(
      app,
      full.subarray(0, Math.floor(full.length * 0.6)),
      'truncated.xlsx',
    );
    expect([202, 400]).toContain(res.status);
    if (res.status === 202) {
      const batch = await waitForBatch(app, res.body.id);
      expect(batch.status).toBe('failed');
      expect(batch.errorMessage).toMatch(/xlsx|workbook|zip|truncated|damaged|corrupt/i);
      expect(await rowCounts(app, batch.id)).toEqual({ insights: 0, rejected: 0, chunks: 0 });
    }
  });

  it('a zip-bomb XLSX: a failed batch naming the limit, no rows', async () => {
    const rows = Array.from(
      { length: 10 },
      (_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="inlineStr"><is><t>x</t></is></c></row>`,
    ).join('');
    const parts = minimalWorkbookParts(`<sheetData>${rows}</sheetData>`);
    // A highly compressible extra part: small on disk, huge when unpacked.
    parts.push({ name: 'xl/media/padding.bin', data: Buffer.alloc(100 * 1024 * 1024, 0) });
    const res = await upload(app, buildZip(parts), 'bomb.xlsx');
    expect([202, 400, 413]).toContain(res.status);
    if (res.status === 202) {
      const batch = await waitForBatch(app, res.body.id);
      expect(batch.status).toBe('failed');
      expect(batch.errorMessage).toMatch(/MB|uncompressed|limit/i);
      expect(await rowCounts(app, batch.id)).toEqual({ insights: 0, rejected: 0, chunks: 0 });
    }
  });

  it('an unknown batch id: 404', async () => {
    await http(app).get('/api/v1/batches/00000000-0000-4000-8000-000000000000').expect(404);
    await http(app).get('/api/v1/batches/not-a-uuid').expect(404);
  });
});
