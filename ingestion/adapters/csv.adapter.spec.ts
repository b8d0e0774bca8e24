import * as iconv from 'iconv-lite';
import { IngestionError } from '../ingestion.error';
import { readCsv, sniffDelimiter } from './csv.adapter';
import { readRecords } from './read-records';
import { collect, collectUntilError, scratchDir } from './test-fixtures.spec-helper';

const scratch = scratchDir();
afterAll(() => scratch.cleanup());

describe('readCsv encodings', () => {
  const text =
    'ID,Comment,Date\r\n' +
    '1,"Parking cost me £5 – the café was shut",03/03/2024\r\n' +
    '2,“Lovely” staff at the clinic,04/03/2024\r\n';

  it('reads Windows-1252 (Excel "CSV" on Windows) with £, é and curly quotes intact', async () => {
    const file = scratch.file('cp1252.csv', iconv.encode(text, 'windows-1252'));
    const records = await collect(readRecords(file));
    expect(records).toEqual([
      {
        rowNumber: 2,
        values: { ID: '1', Comment: 'Parking cost me £5 – the café was shut', Date: '03/03/2024' },
      },
      {
        rowNumber: 3,
        values: { ID: '2', Comment: '“Lovely” staff at the clinic', Date: '04/03/2024' },
      },
    ]);
  });

  it('reads ISO-8859-1 with £ and é intact', async () => {
    const latin = 'Comment;Place\nCafé closed, £3 sandwich;Médway\nFine;Dover\n';
    const file = scratch.file('latin1.csv', iconv.encode(latin, 'latin1'));
    const records = await collect(readRecords(file));
    expect(records.map((r) => r.values)).toEqual([
      { Comment: 'Café closed, £3 sandwich', Place: 'Médway' },
      { Comment: 'Fine', Place: 'Dover' },
    ]);
  });

  it('reads UTF-8 with a BOM and ";" delimiters, keeping commas inside values', async () => {
    const body =
      '\uFEFFComment;Postcode;Age group\nWaited 3 hours, then sent home;ME14 1AA;25-34\nGreat service;CT1 2AB;65+\n';
    const file = scratch.file('bom.csv', Buffer.from(body, 'utf8'));
    const headers: string[][] = [];
    const records = await collect(readRecords(file, { onHeaders: (h) => headers.push(h) }));
    expect(headers).toEqual([['Comment', 'Postcode', 'Age group']]);
    expect(records).toEqual([
      {
        rowNumber: 2,
        values: {
          Comment: 'Waited 3 hours, then sent home',
          Postcode: 'ME14 1AA',
          'Age group': '25-34',
        },
      },
      {
        rowNumber: 3,
        values: { Comment: 'Great service', Postcode: 'CT1 2AB', 'Age group': '65+' },
      },
    ]);
  });

  it('reads UTF-16LE tab-separated text with a BOM (Excel "Unicode text")', async () => {
    const body =
      'Comment\tService\tRating\r\nThe café at A&E charged £4, très cher\tEmergency\t2\r\nKind nurses\tWard 3\t5\r\n';
    const file = scratch.file(
      'unicode.txt',
      Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(body, 'utf-16le')]),
    );
    const records = await collect(readRecords(file));
    expect(records).toEqual([
      {
        rowNumber: 2,
        values: {
          Comment: 'The café at A&E charged £4, très cher',
          Service: 'Emergency',
          Rating: '2',
        },
      },
      { rowNumber: 3, values: { Comment: 'Kind nurses', Service: 'Ward 3', Rating: '5' } },
    ]);
  });

  it('honours an explicit encoding and delimiter', async () => {
    const file = scratch.file('explicit.csv', iconv.encode('a|b\n£1|é\n', 'windows-1252'));
    const records = await collect(readRecords(file, { encoding: 'windows-1252', delimiter: '|' }));
    expect(records.map((r) => r.values)).toEqual([{ a: '£1', b: 'é' }]);
  });
});

describe('readCsv structure', () => {
  it('numbers records by the line where they start, across quoted newlines and blank lines', async () => {
    const body =
      'Ref,Comment\r\n' +
      'A1,"First line\r\nsecond line\r\nthird line"\r\n' +
      '\r\n' +
      ',\r\n' +
      'A2,"He said ""thank you""\nand left"\r\n' +
      'A3,plain\r\n';
    const file = scratch.file('multiline.csv', body);
    const records = await collect(readRecords(file));
    expect(records).toEqual([
      { rowNumber: 2, values: { Ref: 'A1', Comment: 'First line\r\nsecond line\r\nthird line' } },
      { rowNumber: 7, values: { Ref: 'A2', Comment: 'He said "thank you"\nand left' } },
      { rowNumber: 9, values: { Ref: 'A3', Comment: 'plain' } },
    ]);
  });

  it('names blank headers, de-duplicates repeated ones, trims them, and keeps ragged cells', async () => {
    const body = ' Comment ,,Comment,Date\nfirst,x,second,01/02/2024\nshort\nlong,a,b,c,extra,\n';
    const file = scratch.file('ragged.csv', body);
    const records = await collect(readRecords(file));
    expect(records).toEqual([
      {
        rowNumber: 2,
        values: { Comment: 'first', column_2: 'x', Comment_2: 'second', Date: '01/02/2024' },
      },
      { rowNumber: 3, values: { Comment: 'short', column_2: null, Comment_2: null, Date: null } },
      {
        rowNumber: 4,
        values: { Comment: 'long', column_2: 'a', Comment_2: 'b', Date: 'c', column_5: 'extra' },
      },
    ]);
  });

  it('honours an Excel "sep=" line and counts it', async () => {
    const file = scratch.file('sep.csv', 'sep=|\r\nComment|Age\r\nGood, thanks|40\r\n');
    const records = await collect(readRecords(file));
    expect(records).toEqual([{ rowNumber: 3, values: { Comment: 'Good, thanks', Age: '40' } }]);
  });

  it('skips leading blank lines before the header but still counts them', async () => {
    const file = scratch.file('leading.csv', '\n\nComment,Age\nGood,40\n');
    const records = await collect(readRecords(file));
    expect(records).toEqual([{ rowNumber: 4, values: { Comment: 'Good', Age: '40' } }]);
  });

  it.each([
    ['a zero-byte file', ''],
    ['whitespace only', '  \r\n\r\n  '],
    ['a byte-order mark only', '\uFEFF'],
  ])('rejects %s as empty_file', async (_label, content) => {
    const file = scratch.file('empty.csv', content);
    await expect(collect(readRecords(file))).rejects.toMatchObject({ code: 'empty_file' });
  });

  it('rejects junk binary bytes named .csv as unreadable_file with a clear message', async () => {
    const junk = Buffer.alloc(4096);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919 + (i >> 3)) % 256;
    const file = scratch.file('junk.csv', junk);
    const { records, error } = await collectUntilError(readRecords(file));
    expect(records).toHaveLength(0);
    expect(error).toBeInstanceOf(IngestionError);
    expect(error).toMatchObject({
      code: 'unreadable_file',
      message: expect.stringMatching(/not contain readable text/),
    });
  });

  it('reports an unclosed quote as syntax_error at the line the record starts, after the good records', async () => {
    const file = scratch.file(
      'unclosed.csv',
      'Comment,Age\nfine,1\nok,2\n"Remark about Dr Jones,3\nmore,4\n',
    );
    const { records, error } = await collectUntilError(readCsv(file));
    expect(records.map((r) => r.rowNumber)).toEqual([2, 3]);
    expect(error).toMatchObject({ code: 'syntax_error', rowNumber: 4 });
    expect((error as Error).message).not.toContain('Dr Jones');
  });

  it('refuses rows wider than the column limit', async () => {
    const file = scratch.file(
      'wide.csv',
      `${Array.from({ length: 1200 }, (_, i) => `h${i}`).join(',')}\n`,
    );
    await expect(collect(readCsv(file))).rejects.toMatchObject({ code: 'too_many_columns' });
  });

  it('stops reading when the consumer stops early', async () => {
    const rows = Array.from({ length: 20000 }, (_, i) => `comment ${i},${i}`).join('\n');
    const file = scratch.file('early.csv', `Comment,N\n${rows}\n`);
    const seen: number[] = [];
    for await (const record of readCsv(file)) {
      seen.push(record.rowNumber);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([2, 3, 4]);
  });
});

describe('sniffDelimiter', () => {
  it.each([
    ['commas', 'a,b,c\n1,2,3\n', ','],
    ['semicolons with commas inside quotes', 'a;b\n"x, y, z";2\n"p, q";3\n', ';'],
    ['tabs', 'a\tb\tc\n1\t2\t3\n', '\t'],
    ['pipes', 'a|b\n1|2\n', '|'],
    ['a quoted newline does not split the record', 'a;b\n"line one,\nline, two";2\n3;4\n', ';'],
    ['a single column falls back to comma', 'comment\nhello\n', ','],
    ['consistency beats raw count', 'a,b;c;d;e\n1,2\n3,4\n', ','],
  ])('%s', (_label, text, expected) => {
    expect(sniffDelimiter(text, true)).toBe(expected);
  });
});

describe('readCsv with a cell longer than the reader keeps', () => {
  it('cuts the cell, reports its full length with the row, and reads on', async () => {
    const long = 'x'.repeat(3_000_000);
    const file = scratch.file(
      'long-cell.csv',
      `ref,comment\n1,first\n2,"${long}"\n3,${long}\n4,last\n`,
    );
    const records = await collect(readCsv(file));
    expect(records.map((r) => r.rowNumber)).toEqual([2, 3, 4, 5]);
    expect(records.map((r) => r.oversized)).toEqual([
      undefined,
      { comment: 3_000_000 },
      { comment: 3_000_000 },
      undefined,
    ]);
    expect(records.map((r) => String(r.values.comment).length)).toEqual([
      5, 1_000_000, 1_000_000, 4,
    ]);
  });
});
