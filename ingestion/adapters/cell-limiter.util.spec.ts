import { parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { CellLimiter } from './cell-limiter.util';

const OPTIONS = { relax_column_count: true, relax_quotes: true, skip_empty_lines: false };

function chunks(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

async function parsed(text: string, limit?: number, chunkSize = 1 << 20) {
  const bytes = Buffer.from(text, 'utf8');
  const source = Readable.from(chunks(bytes, chunkSize));
  const limiter = limit === undefined ? undefined : CellLimiter.for(',', limit)!;
  const parser = parse({ ...OPTIONS, delimiter: ',' });
  (limiter ? source.pipe(limiter) : source).pipe(parser);
  const rows: string[][] = [];
  const full: Array<number | undefined>[] = [];
  for await (const r of parser as AsyncIterable<string[]>) {
    rows.push(r);
    if (limiter) full.push(r.map((c) => limiter.fullLength(c)));
  }
  return { rows, full };
}

describe('CellLimiter', () => {
  const tricky = [
    'id,comment\n1,plain\n',
    'a,"quoted, with comma"\r\nb,"two\r\nlines"\r\n',
    'a,"with ""escaped"" quotes",z\n',
    'a,"stray "quote here,z\n',
    'a,unquoted "quote" inside,z\n',
    'a,"ends with quote"""\n',
    'a,,"",z\n\n,\n',
    'é,"£5 – café ☕ 😀",ok\n',
    'a,"no newline at end"',
  ];

  it.each(tricky)('changes nothing in a file whose cells are under the limit: %j', async (text) => {
    const expected = (await parsed(text)).rows;
    for (const size of [1, 2, 3, 7, 1 << 20]) {
      expect((await parsed(text, 1000, size)).rows).toEqual(expected);
    }
  });

  it.each([1, 2, 5, 1 << 20])(
    'cuts long cells at the limit and queues their full length (chunks of %i bytes)',
    async (size) => {
      const text =
        'i,c,z\n' +
        '1,"abcdefghij",ok\n' +
        '2,"x""yz",ok\n' +
        '3,abcdefgh,ok\n' +
        '4,"ab""""cdefgh",ok\n' +
        '5,éééééééé,ok\n' +
        '6,abcde,ok\n' +
        '7,"ab"cdefgh,ok\n';
      const { rows, full } = await parsed(text, 5, size);
      expect(rows).toEqual([
        ['i', 'c', 'z'],
        ['1', 'abcde', 'ok'],
        ['2', 'x"yz', 'ok'],
        ['3', 'abcde', 'ok'],
        ['4', 'ab""c', 'ok'],
        ['5', 'ééééé', 'ok'],
        ['6', 'abcde', 'ok'],
        ['7', '"ab"c', 'ok'],
      ]);
      expect(full.map((f) => f[1])).toEqual([
        undefined,
        10,
        undefined,
        8,
        10,
        8,
        5, // exactly at the limit: kept whole, and known to be whole
        10,
      ]);
    },
  );

  it('is not used for a delimiter it cannot follow byte by byte', () => {
    expect(CellLimiter.for('¦')).toBeUndefined();
    expect(CellLimiter.for('::')).toBeUndefined();
    expect(CellLimiter.for(';')).toBeDefined();
  });
});
