import type { INestApplication } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { App } from 'supertest/types';
import { http, keyOf } from '../support/auth';
import { ensureOrg, upload, waitForBatch } from '../support/batches';
import { createTestApp, truncateAll } from '../support/test-app';

/** Each run's own word, so searches find only this suite's comments. */
const WORD = 'quillhaven';

const ROWS = [
  ['reference', 'comment'],
  ['mk-1', `The ${WORD} leaflet said <mark>urgent</mark> in bold but nobody rang back`],
  ['fw-1', `＝HYPERLINK("http://example.invalid","x") ${WORD} card one`],
  ['fw-2', `＋44 ${WORD} card two`],
  ['fw-3', `－2 ${WORD} card three`],
  ['fw-4', `＠SUM(A1) ${WORD} card four`],
];

function csv(rows: string[][]): Buffer {
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return Buffer.from(rows.map((r) => r.map(cell).join(',')).join('\n') + '\n', 'utf8');
}

interface SearchBody {
  hits: Array<{ id: string; text: string }>;
}

describe('comment text cannot become markup in highlights or formulas in exports', () => {
  let app: INestApplication<App>;
  let batchId: string;

  beforeAll(async () => {
    app = await createTestApp();
    await truncateAll(app);
    await ensureOrg(app);
    const res = await upload(app, csv(ROWS), 'markup.csv', { sharingLevel: 'icb' });
    expect(res.status).toBe(202);
    batchId = (res.body as { id: string }).id;
    const batch = await waitForBatch(app, batchId);
    expect(batch.counts).toMatchObject({ accepted: 5, indexed: 5 });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('escapes a literal <mark> in a comment; only the real match is marked', async () => {
    const res = await http(app, keyOf(app, 'analyst'))
      .get('/api/v1/insights/search')
      .query({ q: 'leaflet', batch: batchId })
      .expect(200);
    const [hit] = (res.body as SearchBody).hits;
    expect(hit.text).toContain('<mark>leaflet</mark>');
    expect(hit.text).toContain('&lt;mark&gt;urgent&lt;/mark&gt;');
    expect(hit.text.match(/<mark>/g)).toHaveLength(1);

    // Without a text query nothing is highlighted, and the literal tags are still text.
    const plain = await http(app, keyOf(app, 'analyst'))
      .get('/api/v1/insights/search')
      .query({ batch: batchId, pageSize: 10 })
      .expect(200);
    const leaflet = (plain.body as SearchBody).hits.find((h) => h.text.includes('leaflet'));
    expect(leaflet?.text).not.toContain('<mark>');
    expect(leaflet?.text).toContain('&lt;mark&gt;urgent&lt;/mark&gt;');
  });

  it('the search page shows the literal tags as text', async () => {
    const res = await http(app, keyOf(app, 'analyst'))
      .get('/search')
      .query({ q: 'leaflet', batch: batchId })
      .set('accept', 'text/html')
      .expect(200);
    expect(res.text).toContain('<mark>leaflet</mark>');
    expect(res.text).not.toContain('<mark>urgent</mark>');
  });

  it('neutralises full-width ＝ ＋ － ＠ at the start of a CSV and XLSX cell', async () => {
    const res = await http(app, keyOf(app, 'analyst'))
      .get('/api/v1/insights/export')
      .query({ format: 'csv', batch: batchId, q: 'card' })
      .buffer(true)
      .expect(200);
    const rows: string[][] = parse(res.text, { bom: true });
    const texts = rows
      .slice(1)
      .map((r) => r[2])
      .filter((t) => t.includes(' card '))
      .sort();
    expect(texts).toEqual(
      [
        `'＝HYPERLINK("http://example.invalid","x") ${WORD} card one`,
        `'＋44 ${WORD} card two`,
        `'－2 ${WORD} card three`,
        `'＠SUM(A1) ${WORD} card four`,
      ].sort(),
    );

    const x = await http(app, keyOf(app, 'analyst'))
      .get('/api/v1/insights/export')
      .query({ format: 'xlsx', batch: batchId, q: 'card' })
      .responseType('blob')
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.body as ArrayBuffer);
    const cells: string[] = [];
    wb.worksheets[0].eachRow((row, n) => {
      if (n > 1 && row.getCell(3).text.includes(' card ')) cells.push(row.getCell(3).text);
    });
    expect(cells).toHaveLength(4);
    for (const c of cells) expect(c).toMatch(/^'[＝＋－＠]/);
  });
});
