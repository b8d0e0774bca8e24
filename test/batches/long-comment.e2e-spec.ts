import { http } from '../support/auth';
import type { INestApplication } from '@nestjs/common';
import * as ExcelJS from 'exceljs';
import type { App } from 'supertest/types';
import { createTestApp, truncateAll } from '../support/test-app';
import { ensureOrg, upload, waitForBatch } from '../support/batches';

const ROWS = 5_010;
/** The data row at this index sits on CSV line / spreadsheet row / JSON record LONG_AT + offset. */
const LONG_INDEX = 5_001;
const LONG = 3_000_000;

/** Distinct per format, so no upload's comments are duplicates of another's. */
function comments(format: string): string[] {
  return Array.from({ length: ROWS }, (_, i) =>
    i === LONG_INDEX ? 'x'.repeat(LONG) : `${format} comment number ${i + 1} about the ward`,
  );
}

/**
 * A 3,000,000-character comment is its row's problem (`text_too_long`, naming the row), however the
 * file is written: the other 5,009 rows are stored.
 */
describe('an over-long comment in a 5,010-row file', () => {
  let app: INestApplication<App>;

  beforeAll(async () => {
    app = await createTestApp();
    await truncateAll(app);
    await ensureOrg(app);
  });
  afterAll(async () => {
    await app.close();
  });

  async function expectRowRejected(body: Buffer, fileName: string, rowNumber: number) {
    const res = await upload(app, body, fileName);
    expect(res.status).toBe(202);
    const batch = await waitForBatch(app, (res.body as { id: string }).id, 180_000);
    expect({ status: batch.status, error: batch.errorMessage }).toEqual({
      status: 'complete',
      error: null,
    });
    expect(batch.counts).toMatchObject({
      received: ROWS,
      accepted: ROWS - 1,
      rejected: 1,
      duplicates: 0,
    });
    const csv = await http(app).get(`/api/v1/batches/${batch.id}/rejections`).expect(200);
    const lines = csv.text.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      new RegExp(`^${rowNumber},0,rejected,text_too_long,comment,.*\\b${LONG} characters long`),
    );
  }

  it('CSV (line 5,003): rejected at row level, the other rows accepted', async () => {
    const csv =
      ['ref,comment', ...comments('CSV').map((c, i) => `CSV-R${i + 1},"${c}"`)].join('\n') + '\n';
    await expectRowRejected(Buffer.from(csv), 'long.csv', LONG_INDEX + 2);
  });

  it('JSON (record 5,002): rejected at row level, the other rows accepted', async () => {
    const json = JSON.stringify(
      comments('JSON').map((c, i) => ({ ref: `JSON-R${i + 1}`, comment: c })),
    );
    await expectRowRejected(Buffer.from(json), 'long.json', LONG_INDEX + 1);
  });

  it('XLSX (row 5,003): rejected at row level, the other rows accepted', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Feedback');
    ws.addRow(['ref', 'comment']);
    comments('XLSX').forEach((c, i) => ws.addRow([`XLSX-R${i + 1}`, c]));
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    await expectRowRejected(xlsx, 'long.xlsx', LONG_INDEX + 2);
  });
});
