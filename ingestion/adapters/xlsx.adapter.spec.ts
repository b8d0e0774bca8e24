import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as ExcelJS from 'exceljs';
import { IngestionError } from '../ingestion.error';
import { readRecords } from './read-records';
import {
  buildZip,
  collect,
  collectUntilError,
  minimalWorkbookParts,
  scratchDir,
} from './test-fixtures.spec-helper';
import { readXlsx } from './xlsx.adapter';

const scratch = scratchDir();
afterAll(() => scratch.cleanup());

const TEMPLATE = path.resolve(
  __dirname,
  '../../../shared/data/formats/patient-experience-upload-template.xlsx',
);

async function writeWorkbook(name: string, build: (wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return scratch.file(name, buffer);
}

/** Fails the test instead of letting a stuck stream run into the suite timeout. */
async function withinSeconds<T>(seconds: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${seconds}s`)), seconds * 1000);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('readXlsx', () => {
  let feedbackFile: string;

  beforeAll(async () => {
    feedbackFile = await writeWorkbook('feedback.xlsx', (wb) => {
      wb.addWorksheet('Notes');
      const ws = wb.addWorksheet('Feedback');
      ws.getCell('A1').value = 'Community feedback, spring 2024';
      ws.mergeCells('A1:E1');
      ws.addRow([]);
      ws.addRow(['Ref', 'Comment', 'Date', 'Group', 'Score ']);
      ws.addRow([
        101,
        'Waited 3 hours – café shut, £4 parking',
        45352,
        'Carers group',
        { formula: 'A4*0+4', result: 4 },
      ]);
      ws.addRow([
        102,
        {
          richText: [
            { text: 'Very ' },
            { font: { bold: true }, text: 'helpful' },
            { text: ' reception' },
          ],
        },
        new Date(Date.UTC(2024, 2, 5)),
        null,
        5,
      ]);
      ws.addRow([]);
      ws.addRow([
        103,
        { text: 'See the notes online', hyperlink: 'https://example.org/notes' },
        '12/03/2024',
        null,
        { formula: 'NA()', result: { error: '#N/A' } },
      ]);
      ws.mergeCells('D4:D5');
      ws.getColumn(3).numFmt = 'dd/mm/yyyy';
      ws.getCell('C4').numFmt = 'dd/mm/yyyy';
    });
  });

  it('finds the header below title rows and converts serial dates, formulas, rich text, hyperlinks and merges', async () => {
    const headers: string[][] = [];
    const records = await collect(readRecords(feedbackFile, { onHeaders: (h) => headers.push(h) }));
    expect(headers).toEqual([['Ref', 'Comment', 'Date', 'Group', 'Score']]);
    expect(records).toEqual([
      {
        rowNumber: 4,
        values: {
          Ref: 101,
          Comment: 'Waited 3 hours – café shut, £4 parking',
          Date: new Date(Date.UTC(2024, 2, 1)),
          Group: 'Carers group',
          Score: 4,
        },
      },
      {
        rowNumber: 5,
        values: {
          Ref: 102,
          Comment: 'Very helpful reception',
          Date: new Date(Date.UTC(2024, 2, 5)),
          Group: 'Carers group',
          Score: 5,
        },
      },
      {
        rowNumber: 7,
        values: {
          Ref: 103,
          Comment: 'See the notes online',
          Date: '12/03/2024',
          Group: null,
          Score: null,
        },
      },
    ]);
  });

  it.each([
    ['name, ignoring case', 'feedback', 3],
    ['1-based index', 2, 3],
  ])('selects a sheet by %s', async (_label, sheet, count) => {
    const records = await collect(readXlsx(feedbackFile, { sheet }));
    expect(records).toHaveLength(count);
  });

  it('stops cleanly when the consumer stops after the first record', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const seen: number[] = [];
      for await (const record of readRecords(feedbackFile)) {
        seen.push(record.rowNumber);
        break;
      }
      // Time for a stray rejection from the abandoned reader to surface, if there were one.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(seen).toEqual([4]);
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('names the sheets it has when the requested one is missing', async () => {
    await expect(collect(readXlsx(feedbackFile, { sheet: 'Responses' }))).rejects.toThrow(
      /"Notes", "Feedback"/,
    );
  });

  it('reports empty_file for a workbook with no data and no_header when no row looks like one', async () => {
    const empty = await writeWorkbook('empty.xlsx', (wb) => wb.addWorksheet('Sheet1'));
    await expect(collect(readXlsx(empty))).rejects.toMatchObject({ code: 'empty_file' });
    const headerless = await writeWorkbook('headerless.xlsx', (wb) => {
      const ws = wb.addWorksheet('Sheet1');
      for (let i = 0; i < 25; i++) ws.addRow([`Just a note ${i}`]);
    });
    await expect(collect(readXlsx(headerless))).rejects.toMatchObject({ code: 'no_header' });
  });

  it('rejects a truncated workbook as unreadable_file without hanging', async () => {
    const whole = readFileSync(feedbackFile);
    for (const keep of [0.5, 0.9, 0.99]) {
      const file = scratch.file(
        `truncated-${keep}.xlsx`,
        whole.subarray(0, Math.floor(whole.length * keep)),
      );
      const { records, error } = await withinSeconds(10, collectUntilError(readRecords(file)));
      expect(records).toHaveLength(0);
      expect(error).toBeInstanceOf(IngestionError);
      expect(error).toMatchObject({ code: 'unreadable_file' });
    }
  });

  it('rejects a workbook whose compressed data is damaged as unreadable_file', async () => {
    const parts = minimalWorkbookParts(
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Comment</t></is></c><c r="B1" t="inlineStr"><is><t>Age</t></is></c></row>' +
        `${'<row r="2"><c r="A2" t="inlineStr"><is><t>fine</t></is></c></row>'.repeat(200)}` +
        '</sheetData></worksheet>',
    );
    const zip = buildZip(parts);
    const sheetAt =
      zip.indexOf(Buffer.from('xl/worksheets/sheet1.xml')) + 'xl/worksheets/sheet1.xml'.length;
    for (let i = sheetAt + 20; i < sheetAt + 60; i++) zip[i] ^= 0x5a;
    const file = scratch.file('damaged.xlsx', zip);
    const { error } = await withinSeconds(10, collectUntilError(readRecords(file)));
    expect(error).toMatchObject({ code: 'unreadable_file' });
  });

  it('keeps only the class name of a parser failure, never the cell text', async () => {
    const parts = minimalWorkbookParts(
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Comment</t></is></c><c r="B1" t="inlineStr"><is><t>Age</t></is></c></row>' +
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Jane Doe <said> 12 Mill Lane</t></is></c></row>' +
        '</sheetData></worksheet>',
    );
    const file = scratch.file('malformed.xlsx', buildZip(parts));
    const { error } = await withinSeconds(10, collectUntilError(readRecords(file)));
    expect(error).toMatchObject({
      code: 'unreadable_file',
      message: 'The spreadsheet could not be read; it may be damaged.',
      cause: { name: 'Error' },
    });
    expect(JSON.stringify((error as Error).cause)).not.toMatch(/Jane|Mill|said/);
  });

  it('reads a hand-built workbook with inline strings and no shared strings part', async () => {
    const parts = minimalWorkbookParts(
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Comment</t></is></c><c r="B1" t="inlineStr"><is><t>Age</t></is></c></row>' +
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Good</t></is></c><c r="B2"><v>40</v></c></row>' +
        '</sheetData></worksheet>',
    );
    const file = scratch.file('inline.xlsx', buildZip(parts));
    expect(await collect(readRecords(file))).toEqual([
      { rowNumber: 2, values: { Comment: 'Good', Age: 40 } },
    ]);
  });

  describe('zip bombs', () => {
    it('rejects a part that unpacks at an absurd ratio (200 MB of zeros)', async () => {
      const deflate = zlib.createDeflateRaw({ level: 1 });
      const compressed: Buffer[] = [];
      deflate.on('data', (c: Buffer) => compressed.push(c));
      const zeros = Buffer.alloc(1024 * 1024);
      let crc = 0;
      for (let i = 0; i < 200; i++) {
        deflate.write(zeros);
        crc = zlib.crc32(zeros, crc);
      }
      await new Promise<void>((resolve) => deflate.end(resolve));
      const bombPart = Buffer.concat(compressed);
      expect(bombPart.length).toBeLessThan(1024 * 1024);
      const zip = buildZip([
        ...minimalWorkbookParts('<worksheet/>'),
        { name: 'xl/media/image1.bin', data: Buffer.alloc(0) },
      ]);
      const file = scratch.file(
        'bomb.xlsx',
        patchEntry(zip, 'xl/media/image1.bin', bombPart, 200 * 1024 * 1024, crc),
      );
      const { error } = await withinSeconds(10, collectUntilError(readRecords(file)));
      expect(error).toMatchObject({ code: 'zip_bomb', message: expect.stringContaining('200:1') });
    });

    it('rejects a directory that declares more than the cap, naming the limit', async () => {
      const zip = buildZip([
        ...minimalWorkbookParts('<worksheet/>'),
        { name: 'xl/media/huge.bin', data: Buffer.alloc(1000, 1), declaredSize: 0xf0000000 },
      ]);
      const file = scratch.file('declared.xlsx', zip);
      await expect(collect(readRecords(file))).rejects.toMatchObject({
        code: 'zip_bomb',
        message: expect.stringContaining('limit is 500 MB'),
      });
      await expect(
        collect(readRecords(feedbackFile, { maxUncompressedBytes: 2000 })),
      ).rejects.toMatchObject({
        code: 'zip_bomb',
        message: expect.stringContaining('limit is 2000 bytes'),
      });
    });

    it('rejects a part that unpacks to more than its directory declares', async () => {
      const zip = buildZip([
        ...minimalWorkbookParts('<worksheet/>'),
        { name: 'xl/media/liar.bin', data: Buffer.alloc(5 * 1024 * 1024), declaredSize: 1024 },
      ]);
      const file = scratch.file('liar.xlsx', zip);
      await expect(collect(readRecords(file))).rejects.toMatchObject({
        code: 'zip_bomb',
        message: expect.stringContaining('more than'),
      });
    });
  });

  const templateIt = existsSync(TEMPLATE) ? it : it.skip;
  if (!existsSync(TEMPLATE))
    console.warn(`Skipping the national upload template test: ${TEMPLATE} is absent.`);

  templateIt('reads the national patient experience upload template in place', async () => {
    const records = await collect(readRecords(TEMPLATE));
    expect(records).toHaveLength(2);
    expect(records.map((r) => r.rowNumber)).toEqual([2, 3]);
    expect(records[0].values.date).toEqual(new Date(Date.UTC(2021, 8, 30)));
    expect(records[1].values.date).toEqual(new Date(Date.UTC(2022, 9, 27)));
    expect(records[0].values.question_2).toBe('Prompt, pleasant and efficient.');
    expect(records[1].values.location_2).toBe('Directorate');
  });
});

/** Swaps one entry's data for pre-compressed bytes, fixing up both headers (minimal writer layout). */
function patchEntry(
  zip: Buffer,
  name: string,
  compressed: Buffer,
  size: number,
  crc: number,
): Buffer {
  const nameBytes = Buffer.from(name);
  const localAt = zip.indexOf(
    Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04])]),
    zip.indexOf(nameBytes) - 30,
  );
  const dataAt = localAt + 30 + nameBytes.length;
  const oldLength = zip.readUInt32LE(localAt + 18);
  const before = Buffer.from(zip.subarray(0, dataAt));
  before.writeUInt32LE(crc >>> 0, localAt + 14);
  before.writeUInt32LE(compressed.length, localAt + 18);
  before.writeUInt32LE(size, localAt + 22);
  const after = Buffer.from(zip.subarray(dataAt + oldLength));
  const delta = compressed.length - oldLength;
  const centralAt = after.indexOf(Buffer.concat([Buffer.from([0x50, 0x4b, 0x01, 0x02])]));
  let p = centralAt;
  while (after.readUInt32LE(p) === 0x02014b50) {
    const nameLength = after.readUInt16LE(p + 28);
    if (after.toString('utf8', p + 46, p + 46 + nameLength) === name) {
      after.writeUInt32LE(crc >>> 0, p + 16);
      after.writeUInt32LE(compressed.length, p + 20);
      after.writeUInt32LE(size, p + 24);
    }
    p += 46 + nameLength + after.readUInt16LE(p + 30) + after.readUInt16LE(p + 32);
  }
  after.writeUInt32LE(after.readUInt32LE(p + 16) + delta, p + 16);
  return Buffer.concat([before, compressed, after]);
}
