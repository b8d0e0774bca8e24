import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { readRecords } from '../adapters/read-records';
import type { RawRecord } from '../adapters/adapter.types';
import { PROFILES } from '../profiles/profiles.constants';
import { buildMapping } from './build-mapping.util';
import { chooseProfile } from './choose-profile.util';
import { mapRecord, isAmbiguousNumericDate } from './map-record.util';

const TEMPLATE = path.resolve(
  __dirname,
  '../../../shared/data/formats/patient-experience-upload-template.xlsx',
);

const row = (values: RawRecord['values'], rowNumber = 2): RawRecord => ({ rowNumber, values });

describe('mapRecord, single comment column', () => {
  const headers = [
    'Ref',
    'Comment',
    'Date',
    'Postcode',
    'Age band',
    'Carer',
    'Staff name',
    'Blank',
  ];
  const mapping = buildMapping(headers, PROFILES.generic);

  it('maps fields, keeps unmapped columns as metadata and stringifies values', () => {
    const { comments, problems } = mapRecord(
      row({
        Ref: 1042,
        Comment: '  Waited 3 hours\r\nbut the café was open  ',
        Date: new Date(Date.UTC(2024, 2, 3)),
        Postcode: 'me14 1aa',
        'Age band': '35-44',
        Carer: true,
        'Staff name': 'Nurse on ward 2',
        Blank: null,
      }),
      mapping,
      {},
    );
    expect(problems).toEqual([]);
    expect(comments).toEqual([
      {
        rowNumber: 2,
        part: 0,
        text: 'Waited 3 hours\nbut the café was open',
        externalRef: '1042',
        date: '2024-03-03',
        fields: { postcode: 'me14 1aa', age: '35-44', carer: 'yes' },
        metadata: { 'Staff name': 'Nurse on ward 2' },
      },
    ]);
  });

  it.each([
    '',
    '   ',
    'N/A',
    'n/a',
    'NA',
    'none',
    'Did not answer',
    '-',
    '.',
    'nothing to add',
    'no comment',
    '?',
    '0',
    null,
  ])('rejects the placeholder %p as empty_comment (error) without echoing it', (text) => {
    const { comments, problems } = mapRecord(row({ Comment: text }, 7), mapping, {});
    expect(comments).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({
        rowNumber: 7,
        part: 0,
        code: 'empty_comment',
        severity: 'error',
        field: 'Comment',
      }),
    ]);
  });

  it('rejects text over the limit, naming the limit and length but never the text', () => {
    const text = `Private story about Mrs Smith ${'x'.repeat(100)}`;
    const { comments, problems } = mapRecord(row({ Comment: text }), mapping, {
      maxTextLength: 50,
    });
    expect(comments).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'text_too_long', severity: 'error' });
    expect(problems[0].message).toContain('50');
    expect(problems[0].message).toContain(String(text.length));
    expect(problems[0].message).not.toContain('Smith');
  });

  it('accepts text at the default limit of 20,000 characters and rejects one more', () => {
    expect(mapRecord(row({ Comment: 'a'.repeat(20000) }), mapping, {}).comments).toHaveLength(1);
    expect(mapRecord(row({ Comment: 'a'.repeat(20001) }), mapping, {}).problems[0].code).toBe(
      'text_too_long',
    );
  });

  it.each([
    ['03/04/2024', undefined, '2024-04-03', ['ambiguous_date']],
    ['03/04/2024', 'mdy', '2024-03-04', []],
    ['3 March 2024', undefined, '2024-03-03', []],
    ['45352', undefined, '2024-03-01', []],
    ['13/25/2024', undefined, undefined, ['invalid_date']],
    ['12/25/2024', undefined, undefined, ['invalid_date']],
    ['sometime in spring', undefined, undefined, ['invalid_date']],
    ['', undefined, undefined, []],
  ] as const)('date %p (order %s) → %s with problems %p', (value, dateOrder, date, codes) => {
    const { comments, problems } = mapRecord(row({ Comment: 'Fine', Date: value }), mapping, {
      dateOrder,
    });
    expect(comments).toHaveLength(1);
    expect(comments[0].date).toBe(date);
    expect(problems.map((p) => p.code)).toEqual(codes);
    for (const p of problems) {
      expect(p.severity).toBe('warning');
      expect(p.message).not.toContain(String(value));
    }
  });

  it('hints at month-first order for a date that only works that way', () => {
    const { problems } = mapRecord(row({ Comment: 'Fine', Date: '12/25/2024' }), mapping, {});
    expect(problems[0].message).toMatch(/month-first/);
  });

  it('reports missing_text when a record lacks the comment column altogether', () => {
    const { comments, problems } = mapRecord(row({ Ref: 'a' }, 3), mapping, {});
    expect(comments).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({ code: 'missing_text', severity: 'error', rowNumber: 3 }),
    ]);
  });

  it('puts keys the header never had (ragged extras, JSON fields) in metadata', () => {
    const { comments } = mapRecord(
      row({ Comment: 'ok', column_9: 'stray', 'meta.source': 'kiosk' }),
      mapping,
      {},
    );
    expect(comments[0].metadata).toEqual({ column_9: 'stray', 'meta.source': 'kiosk' });
  });
});

describe('mapRecord, one comment per question column', () => {
  const headers = [
    'Respondent ID',
    'Q1 What was good?',
    'Q2 What could be better?',
    'Q3 How would you rate us?',
    'Age group',
  ];
  const mapping = buildMapping(headers, PROFILES.survey);

  it('makes each non-empty answer its own comment with the question and part', () => {
    const { comments, problems } = mapRecord(
      row({
        'Respondent ID': 'R7',
        'Q1 What was good?': 'Friendly reception',
        'Q2 What could be better?': 'Shorter waits',
        'Q3 How would you rate us?': 'Good',
        'Age group': '65-74',
      }),
      mapping,
      {},
    );
    expect(problems).toEqual([]);
    expect(comments).toEqual([
      expect.objectContaining({
        part: 0,
        text: 'Friendly reception',
        question: 'Q1 What was good?',
        externalRef: 'R7',
        fields: { age: '65-74' },
      }),
      expect.objectContaining({
        part: 1,
        text: 'Shorter waits',
        question: 'Q2 What could be better?',
        externalRef: 'R7',
      }),
    ]);
    expect(comments[0].metadata).toEqual({ 'Q3 How would you rate us?': 'Good' });
  });

  it('skips unanswered questions silently, and flags a row with no answers once', () => {
    const partial = mapRecord(
      row({ 'Q1 What was good?': 'N/A', 'Q2 What could be better?': 'More parking' }),
      mapping,
      {},
    );
    expect(partial.comments.map((c) => c.part)).toEqual([1]);
    expect(partial.problems).toEqual([]);
    const none = mapRecord(
      row({ 'Q1 What was good?': null, 'Q2 What could be better?': '-' }, 9),
      mapping,
      {},
    );
    expect(none.comments).toEqual([]);
    expect(none.problems).toEqual([
      expect.objectContaining({ rowNumber: 9, part: 0, code: 'empty_comment', severity: 'error' }),
    ]);
  });

  it('rejects only the over-long answer', () => {
    const { comments, problems } = mapRecord(
      row({ 'Q1 What was good?': 'x'.repeat(30), 'Q2 What could be better?': 'Shorter waits' }),
      mapping,
      { maxTextLength: 20 },
    );
    expect(comments.map((c) => c.part)).toEqual([1]);
    expect(problems).toEqual([
      expect.objectContaining({ part: 0, code: 'text_too_long', field: 'Q1 What was good?' }),
    ]);
  });
});

describe('mapRecord with the other profiles', () => {
  it('FFT: keeps the rating with the comment', () => {
    const headers = ['Date', 'Ward', 'FFT rating', 'Please tell us why you gave that answer'];
    const mapping = buildMapping(headers, chooseProfile(headers).profile);
    const { comments } = mapRecord(
      row({
        Date: '01/02/2024',
        Ward: 'Ward 4',
        'FFT rating': 'Very good',
        'Please tell us why you gave that answer': 'Kind staff',
      }),
      mapping,
      {},
    );
    expect(comments).toEqual([
      {
        rowNumber: 2,
        part: 0,
        text: 'Kind staff',
        date: '2024-02-01',
        fields: { service: 'Ward 4', rating: 'Very good' },
        metadata: {},
      },
    ]);
  });

  it('focus group: group is a field, facilitator stays in metadata', () => {
    const headers = ['Group', 'Session date', 'Facilitator', 'Quote'];
    const mapping = buildMapping(headers, chooseProfile(headers).profile);
    const { comments } = mapRecord(
      row({
        Group: 'Young carers',
        'Session date': '3 March 2024',
        Facilitator: 'Engagement team',
        Quote: 'Nobody asks how we are',
      }),
      mapping,
      {},
    );
    expect(comments).toEqual([
      {
        rowNumber: 2,
        part: 0,
        text: 'Nobody asks how we are',
        date: '2024-03-03',
        fields: { group: 'Young carers' },
        metadata: { Facilitator: 'Engagement team' },
      },
    ]);
  });

  it('national upload (long shape): question from comment_type, location hierarchy split into location and service', () => {
    const headers = [
      'comment_id',
      'date',
      'location_1',
      'location_2',
      'location_3',
      'comment_type',
      'comment_txt',
      'fft',
      'sex',
      'age',
    ];
    const mapping = buildMapping(headers, PROFILES['national-patient-experience']);
    const { comments } = mapRecord(
      row({
        comment_id: 'C1',
        date: 44469,
        location_1: 'Division ',
        location_2: 'Specialty ',
        location_3: 'Ward',
        comment_type: 'What could be improved?',
        comment_txt: 'More chairs',
        fft: 2,
        sex: 'Female',
        age: '18-25',
      }),
      mapping,
      {},
    );
    expect(comments).toEqual([
      {
        rowNumber: 2,
        part: 0,
        text: 'More chairs',
        question: 'What could be improved?',
        externalRef: 'C1',
        date: '2021-09-30',
        fields: {
          location: 'Division',
          service: 'Specialty / Ward',
          rating: '2',
          sex: 'Female',
          age: '18-25',
        },
        metadata: {},
      },
    ]);
  });

  const templateIt = existsSync(TEMPLATE) ? it : it.skip;
  if (!existsSync(TEMPLATE))
    console.warn(`Skipping the national upload template test: ${TEMPLATE} is absent.`);

  templateIt(
    'national upload template, read in place: one comment per answered question',
    async () => {
      let headers: string[] = [];
      const records: RawRecord[] = [];
      for await (const r of readRecords(TEMPLATE, { onHeaders: (h) => (headers = h) }))
        records.push(r);
      const { profile } = chooseProfile(headers);
      expect(profile.name).toBe('national-patient-experience');
      const mapping = buildMapping(headers, profile);
      expect(mapping.questionColumns).toEqual(['question_1', 'question_2']);
      const mapped = records.map((r) => mapRecord(r, mapping, {}));
      expect(mapped.flatMap((m) => m.problems)).toEqual([]);
      const comments = mapped.flatMap((m) => m.comments);
      expect(comments.map((c) => [c.rowNumber, c.part, c.question, c.text, c.date])).toEqual([
        [2, 1, 'question_2', 'Prompt, pleasant and efficient.', '2021-09-30'],
        [3, 0, 'question_1', 'Not rely everything, very professional.', '2022-10-27'],
        [3, 1, 'question_2', 'Very efficient', '2022-10-27'],
      ]);
      expect(comments[0].fields).toEqual({
        location: 'Division',
        service: 'Specialty / Ward',
        rating: '1',
        sex: 'Female',
        gender: 'Male',
        age: '18-25',
        ethnicity: 'White',
        // The template writes sexuality S and disability Y: the profile reads its codes.
        sexuality: 'straight',
        disability: 'yes',
      });
      expect(comments[1].fields).toMatchObject({
        sexuality: 'straight',
        disability: 'no',
        religion: 'christian',
      });
    },
  );
});

describe('mapRecord: coded answers', () => {
  const headers = [
    'comment_id',
    'date',
    'location_1',
    'comment_type',
    'comment_txt',
    'fft',
    'sex',
    'gender',
    'age',
    'ethnicity',
    'sexuality',
    'disability',
    'religion',
    'carer',
  ];
  const national = PROFILES['national-patient-experience'];
  const record = (answers: Record<string, string>) =>
    row({ comment_id: 'C1', comment_txt: 'Kind staff', ...answers });

  it("national shape: the template's example row (sexuality S, religion C, disability Y) and carer 0/1", () => {
    const mapping = buildMapping(headers, national);
    const fields = (answers: Record<string, string>) =>
      mapRecord(record(answers), mapping).comments[0].fields;
    expect(fields({ sexuality: 'S', religion: 'C', disability: 'Y', carer: '0' })).toMatchObject({
      sexuality: 'straight',
      religion: 'christian',
      disability: 'yes',
      carer: 'no',
    });
    expect(fields({ sexuality: ' s ', religion: 'c', disability: 'N', carer: '1' })).toMatchObject({
      sexuality: 'straight',
      religion: 'christian',
      disability: 'no',
      carer: 'yes',
    });
  });

  it('codes are per field: S is straight for sexuality and Sikh for religion', () => {
    const mapping = buildMapping(headers, national);
    expect(
      mapRecord(record({ sexuality: 'S', religion: 'S' }), mapping).comments[0].fields,
    ).toMatchObject({
      sexuality: 'straight',
      religion: 'sikh',
    });
    expect(
      mapRecord(record({ sexuality: '2', religion: 'N' }), mapping).comments[0].fields,
    ).toMatchObject({
      sexuality: 'gay or lesbian',
      religion: 'no religion',
    });
  });

  it('an answer that is not a code is left as it is', () => {
    const mapping = buildMapping(headers, national);
    expect(
      mapRecord(record({ sexuality: 'Bisexual', religion: 'Quaker', ethnicity: 'A' }), mapping)
        .comments[0].fields,
    ).toMatchObject({ sexuality: 'Bisexual', religion: 'Quaker', ethnicity: 'A' });
  });

  it("other profiles do not read the national shape's codes", () => {
    const mapping = buildMapping(['comment', 'religion'], PROFILES.generic);
    expect(mapRecord(row({ comment: 'Fine', religion: 'C' }), mapping).comments[0].fields).toEqual({
      religion: 'C',
    });
  });

  it("a partner's value map adds codes of its own and wins over the profile's", () => {
    const mapping = buildMapping(headers, national, undefined, undefined, {
      religion: { '7': 'Sikh', c: 'Catholic' },
      ethnicity: { WBRI: 'White British' },
    });
    expect(
      mapRecord(record({ religion: ' 7 ', ethnicity: 'wbri', sexuality: 'S' }), mapping).comments[0]
        .fields,
    ).toMatchObject({ religion: 'Sikh', ethnicity: 'White British', sexuality: 'straight' });
    expect(mapRecord(record({ religion: 'C' }), mapping).comments[0].fields.religion).toBe(
      'Catholic',
    );
  });

  it('a value that happens to name an object property is not a code', () => {
    const mapping = buildMapping(headers, national, undefined, undefined, {
      religion: { '7': 'Sikh' },
    });
    const f = mapRecord(record({ religion: 'constructor', sexuality: '__proto__' }), mapping)
      .comments[0].fields;
    expect(f).toMatchObject({ religion: 'constructor', sexuality: '__proto__' });
  });

  it("refuses a partner's value map for a field no column is read as", () => {
    expect(() =>
      buildMapping(['comment', 'religion'], PROFILES.generic, undefined, undefined, {
        sexuality: { S: 'straight' },
      }),
    ).toThrow(/value map has codes for sexuality, but no column of the file is read as that field/);
  });
});

describe('isAmbiguousNumericDate', () => {
  it.each([
    ['03/04/2024', true],
    ['3/4/24', true],
    ['12-11-2023', true],
    ['13/04/2024', false],
    ['04/04/2024', false],
    ['2024-03-04', false],
    ['3 March 2024', false],
  ])('%s → %s', (raw, expected) => {
    expect(isAmbiguousNumericDate(raw)).toBe(expected);
  });
});

describe('mapRecord with cells the reader cut short', () => {
  const mapping = buildMapping(['Ref', 'Comment', 'Staff name'], PROFILES.generic);

  it("rejects the row as text_too_long with the comment's full length, keeping nothing of it", () => {
    const { comments, problems } = mapRecord(
      {
        rowNumber: 5003,
        values: { Ref: '1', Comment: 'x'.repeat(1_000_000), 'Staff name': 'Dr Who' },
        oversized: { Comment: 3_000_000 },
      },
      mapping,
    );
    expect(comments).toEqual([]);
    expect(problems).toEqual([
      {
        rowNumber: 5003,
        part: 0,
        code: 'text_too_long',
        severity: 'error',
        field: 'Comment',
        message: 'The comment in column "Comment" is 3000000 characters long; the limit is 20000.',
      },
    ]);
  });

  it("rejects the row when another column was cut, naming the column and the reader's limit", () => {
    const { comments, problems } = mapRecord(
      {
        rowNumber: 7,
        values: { Ref: '1', Comment: 'Fine', 'Staff name': 'y'.repeat(1_000_000) },
        oversized: { 'Staff name': 1_500_000 },
      },
      mapping,
    );
    expect(comments).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({
        rowNumber: 7,
        code: 'text_too_long',
        field: 'Staff name',
        message:
          'The value in column "Staff name" is 1500000 characters long; the reader keeps cells of up to 1000000 characters.',
      }),
    ]);
  });
});
