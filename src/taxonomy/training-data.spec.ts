import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readLabelledFile, requireTwoLabels, sentimentScale } from './training-data';

describe('sentimentScale', () => {
  it.each([
    [
      '-5..5, negative first',
      ['-5', '-3', '-1', '0', '2', '5'],
      'negative-first',
      ['very_negative', 'very_negative', 'negative', 'neutral', 'positive', 'very_positive'],
    ],
    [
      '-5..5, positive first',
      ['-5', '-1', '0', '5'],
      'positive-first',
      ['very_positive', 'positive', 'neutral', 'very_negative'],
    ],
    [
      '1..5 stars',
      ['1', '2', '3', '4', '5'],
      'negative-first',
      ['very_negative', 'negative', 'neutral', 'positive', 'very_positive'],
    ],
    [
      '1..5 where 1 is best',
      ['1', '3', '5'],
      'positive-first',
      ['very_positive', 'neutral', 'very_negative'],
    ],
    [
      '0..10',
      ['0', '5', '10', '8'],
      'negative-first',
      ['very_negative', 'neutral', 'very_positive', 'positive'],
    ],
    [
      'three words, natural order',
      ['b-neutral', 'a-bad', 'c-good'],
      'negative-first',
      ['neutral', 'negative', 'positive'],
    ],
    [
      'numbered labels',
      ['2 - Poor', '10 - Excellent', '1 - Very poor'],
      'negative-first',
      ['neutral', 'positive', 'negative'],
    ],
  ] as const)('%s', (_name, values, order, expected) => {
    const scale = sentimentScale(values, order);
    expect(values.map(scale)).toEqual(expected);
  });

  it('leaves blanks and unseen values unmapped', () => {
    const scale = sentimentScale(['Good', 'Bad'], 'positive-first');
    expect(scale('')).toBeUndefined();
    expect(scale('Unknown')).toBeUndefined();
    expect(scale('Bad')).toBe('positive');
  });
});

describe('readLabelledFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ib-labelled-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, body: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, body);
    return p;
  };

  it('reads texts, split labels and the question, skipping rows without text or labels', async () => {
    const file = write(
      'ok.csv',
      'comment,codes,q\nLong wait at reception,waiting;staff,Q1\nLovely nurse,staff,Q2\n,staff,Q1\nNo labels here,,Q1\n',
    );
    const out = await readLabelledFile(file, {
      textColumn: 'comment',
      labelsColumn: 'codes',
      separator: ';',
      questionColumn: 'q',
    });
    expect(out.rows).toEqual([
      { text: 'Long wait at reception', labels: ['waiting', 'staff'], question: 'Q1' },
      { text: 'Lovely nurse', labels: ['staff'], question: 'Q2' },
    ]);
    expect(out.skipped).toBe(2);
    expect(out.labels).toEqual(['staff', 'waiting']);
  });

  it.each([
    [
      'a missing text column',
      { textColumn: 'feedback', labelsColumn: 'codes' },
      /--text-column: column "feedback" is not in the file \(columns: comment, codes\)/,
    ],
    [
      'a missing labels column',
      { textColumn: 'comment', labelsColumn: 'label' },
      /--labels-column: column "label" is not in the file/,
    ],
  ])('names %s', async (_n, opts, message) => {
    const file = write('cols.csv', 'comment,codes\nhello,a\n');
    await expect(readLabelledFile(file, opts)).rejects.toThrow(message);
  });

  it('names an empty labels column', async () => {
    const file = write('empty.csv', 'comment,codes\nhello,\nworld,\n');
    await expect(
      readLabelledFile(file, { textColumn: 'comment', labelsColumn: 'codes' }),
    ).rejects.toThrow('--labels-column: column "codes" is empty');
  });

  it('says how many labels a column has when there are too few', () => {
    expect(() => requireTwoLabels(['only'], 'codes')).toThrow(
      'column "codes" has 1 distinct label; training needs at least 2',
    );
    expect(() => requireTwoLabels(['a', 'b'], 'codes')).not.toThrow();
  });
});
