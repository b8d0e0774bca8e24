import { IngestionError } from '../ingestion.error';
import { JsonRecordScanner, readJson, readNdjson } from './json.adapter';
import { readRecords } from './read-records';
import { collect, collectUntilError, scratchDir } from './test-fixtures.spec-helper';

const scratch = scratchDir();
afterAll(() => scratch.cleanup());

const ARRAY = JSON.stringify([
  {
    id: 'r1',
    comment: 'Café staff kind, £2 tea',
    respondent: { age: '65+', area: { postcode: 'ME14' } },
    tags: ['gp', 'access'],
  },
  { id: 'r2', comment: 'Long wait [again] {sigh}', respondent: null, rating: 2, consent: true },
  { id: 'r3', comment: 'Say "hi" \\ bye', visits: [{ site: 'A' }, { site: 'B' }] },
]);

describe('readJson', () => {
  it('streams a top-level array, flattening nested objects into dotted keys', async () => {
    const file = scratch.file('array.json', ARRAY);
    expect(await collect(readRecords(file))).toEqual([
      {
        rowNumber: 1,
        values: {
          id: 'r1',
          comment: 'Café staff kind, £2 tea',
          'respondent.age': '65+',
          'respondent.area.postcode': 'ME14',
          tags: 'gp; access',
        },
      },
      {
        rowNumber: 2,
        values: {
          id: 'r2',
          comment: 'Long wait [again] {sigh}',
          respondent: null,
          rating: 2,
          consent: true,
        },
      },
      {
        rowNumber: 3,
        values: {
          id: 'r3',
          comment: 'Say "hi" \\ bye',
          'visits.0.site': 'A',
          'visits.1.site': 'B',
        },
      },
    ]);
  });

  it.each([
    ['records', `{"exported":"2024-03-01","records":${ARRAY}}`],
    [
      'data after a nested "data" key',
      `{"meta":{"data":[1,2],"note":"x"},"data":${ARRAY},"total":3}`,
    ],
  ])('finds the array under "%s"', async (_label, body) => {
    const file = scratch.file('wrapped.json', body);
    const records = await collect(readRecords(file));
    expect(records.map((r) => r.values.id)).toEqual(['r1', 'r2', 'r3']);
  });

  it('yields the records before a syntax error, then fails with the record number (5,000 of 6,000)', async () => {
    const items = Array.from({ length: 6000 }, (_, i) =>
      JSON.stringify({ id: i + 1, comment: `comment number ${i + 1}` }),
    );
    items[4999] = '{"id": 5000, "comment": "broken" "extra": 1}';
    const file = scratch.file('broken.json', `[\n${items.join(',\n')}\n]`);
    const { records, error } = await collectUntilError(readRecords(file));
    expect(records).toHaveLength(4999);
    expect(records[4998]).toEqual({
      rowNumber: 4999,
      values: { id: 4999, comment: 'comment number 4999' },
    });
    expect(error).toBeInstanceOf(IngestionError);
    expect(error).toMatchObject({ code: 'syntax_error', rowNumber: 5000 });
    expect((error as Error).message).not.toContain('broken');
  });

  it.each([
    ['a missing comma between records', '[{"a":1} {"a":2}]', 1, 2],
    ['a trailing comma', '[{"a":1},]', 1, 2],
    ['a record that is not an object', '[{"a":1},"text"]', 1, 2],
    ['a file cut off inside a record', '[{"a":1},{"a":', 1, 2],
    ['a file cut off after a record', '[{"a":1}', 1, 2],
  ])('reports %s as syntax_error at the right record', async (_label, body, good, rowNumber) => {
    const file = scratch.file('bad.json', body);
    const { records, error } = await collectUntilError(readJson(file));
    expect(records).toHaveLength(good);
    expect(error).toMatchObject({ code: 'syntax_error', rowNumber });
  });

  it('treats an empty file as empty_file and an empty array as no records', async () => {
    await expect(collect(readJson(scratch.file('empty.json', ' \n ')))).rejects.toMatchObject({
      code: 'empty_file',
    });
    expect(await collect(readJson(scratch.file('none.json', '[ ]')))).toEqual([]);
  });

  it('rejects an object without a records or data array', async () => {
    await expect(
      collect(readJson(scratch.file('obj.json', '{"name":"x","items":{"a":1}}'))),
    ).rejects.toMatchObject({
      code: 'unsupported_format',
    });
  });

  it('gives the same records whatever the chunk boundaries', () => {
    const whole = new JsonRecordScanner().push(ARRAY);
    const scanner = new JsonRecordScanner();
    const pieces = [...ARRAY].flatMap((ch) => scanner.push(ch));
    scanner.end();
    expect(pieces).toEqual(whole);
    expect(pieces).toHaveLength(3);
  });
});

describe('readNdjson', () => {
  it('numbers records by line, skipping blank lines and handling CRLF', async () => {
    const body =
      '{"comment":"Great GP","age":"25-34"}\r\n\r\n{"comment":"Rude receptionist","nested":{"site":"Dover"}}\r\n{"comment":"£ and é"}';
    const file = scratch.file('feedback.ndjson', body);
    expect(await collect(readRecords(file))).toEqual([
      { rowNumber: 1, values: { comment: 'Great GP', age: '25-34' } },
      { rowNumber: 3, values: { comment: 'Rude receptionist', 'nested.site': 'Dover' } },
      { rowNumber: 4, values: { comment: '£ and é' } },
    ]);
  });

  it('is detected from content even when named .json', async () => {
    const file = scratch.file('lines.json', '{"a":1}\n{"a":2}\n');
    expect((await collect(readRecords(file))).map((r) => r.values.a)).toEqual([1, 2]);
  });

  it('fails on a bad line with its line number, after the good ones', async () => {
    const file = scratch.file('bad.ndjson', '{"a":1}\n{"a":2}\n\n{"a":\n{"a":5}\n');
    const { records, error } = await collectUntilError(readNdjson(file));
    expect(records.map((r) => r.rowNumber)).toEqual([1, 2]);
    expect(error).toMatchObject({ code: 'syntax_error', rowNumber: 4 });
  });

  it('rejects a line that is not an object', async () => {
    const { error } = await collectUntilError(
      readNdjson(scratch.file('arr.ndjson', '{"a":1}\n[1,2]\n')),
    );
    expect(error).toMatchObject({ code: 'syntax_error', rowNumber: 2 });
  });
});
