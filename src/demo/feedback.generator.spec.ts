import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse/sync';
import {
  buildMapping,
  chooseProfile,
  mapRecord,
  readRecords,
  type RawRecord,
} from '../../ingestion';
import { GENERIC_TEMPLATE_COLUMNS } from '../../ingestion/template';
import { isValidNhsNumber } from '../enrichment/redaction/identifiers';
import { redact } from '../enrichment/redaction/redactor';
import type { PiiType } from '../enrichment/redaction/redaction.types';
import {
  fictionalNhsNumber,
  generateCsv,
  generateFeedback,
  PII_ROW_RATE,
  SYNTHETIC_LABEL,
  type GeneratorOptions,
  type SyntheticRow,
} from './feedback.generator';
import { SeededRandom } from './seeded-random';

const PLACES_FILE = path.resolve(__dirname, '../../data/places/kent-and-medway.json');
const KENT_OUTCODES = new Set(
  Object.keys(
    (JSON.parse(fs.readFileSync(PLACES_FILE, 'utf8')) as { postcodeDistricts: object })
      .postcodeDistricts,
  ),
);
const TEMPLATE_NAMES = GENERIC_TEMPLATE_COLUMNS.map((c) => c.name);

function rows(opts: GeneratorOptions): SyntheticRow[] {
  return [...generateFeedback(opts)];
}

async function csvText(opts: GeneratorOptions): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of generateCsv(opts)) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

const words = (text: string): number => text.trim().split(/\s+/).length;

// Shapes of identifiers, loose on purpose so a near miss still counts as a leak.
const PHONE_LIKE = /(?:\+44|\b0)\s?\d{2,4}[\s-]?\d{3}[\s-]?\d{3,4}\b/;
const EMAIL_LIKE = /[\w.+-]+@[\w-]+\.[\w.]+/;
const NHS_LIKE = /\b\d{3}[\s-]?\d{3}[\s-]?\d{4}\b/;
const DOCTOR_NAME = /\bDr\.?\s+[A-Z][a-z]+/;

const SAMPLE_SIZE = 20_000;
const sample = rows({ seed: 2024, count: SAMPLE_SIZE });
const comments = sample.map((r) => r.comment);

describe('generateFeedback', () => {
  it('gives identical rows for the same seed and different rows for another', () => {
    const a = rows({ seed: 11, count: 2000, includePii: true });
    const b = rows({ seed: 11, count: 2000, includePii: true });
    const c = rows({ seed: 12, count: 2000, includePii: true });
    expect(b).toEqual(a);
    const differing = a.filter((row, i) => row.comment !== c[i].comment).length;
    expect(differing).toBeGreaterThan(1000);
  });

  it('produces exactly the generic template columns, in order', () => {
    for (const row of sample.slice(0, 100)) expect(Object.keys(row)).toEqual(TEMPLATE_NAMES);
  });

  it('gives every row a comment of 3 to about 120 words, mostly short', () => {
    const counts = comments.map(words).sort((x, y) => x - y);
    expect(counts[0]).toBeGreaterThanOrEqual(3);
    expect(counts[counts.length - 1]).toBeLessThanOrEqual(125);
    expect(counts[counts.length - 1]).toBeGreaterThan(60);
    expect(counts[Math.floor(counts.length / 2)]).toBeLessThanOrEqual(25);
    expect(counts.filter((n) => n <= 8).length / counts.length).toBeGreaterThan(0.2);
  });

  it('labels every row with a unique SYN-<seed>-<n> reference', () => {
    const refs = sample.map((r) => r.reference);
    expect(refs[0]).toBe('SYN-2024-1');
    expect(refs[refs.length - 1]).toBe(`SYN-2024-${SAMPLE_SIZE}`);
    expect(new Set(refs).size).toBe(SAMPLE_SIZE);
    expect(SYNTHETIC_LABEL).toMatch(/synthetic/i);
  });

  it.each([
    ['appointments', /appointment/i],
    ['GP reception', /reception/i],
    ['staff attitude', /\b(?:rude|kind|caring|friendly)\b/i],
    ['communication', /explained|told us|letter/i],
    ['waiting times', /waiting list|waited/i],
    ['parking', /parking|car park/i],
    ['pharmacy and medication', /pharmac|medication|prescription/i],
    ['discharge', /discharge/i],
    ['dignity', /dignity|corridor/i],
    ['digital access', /NHS App|online|smartphone/i],
    ['cost of living', /afford|heating|unpaid leave/i],
    ['transport', /\bbus\b|taxi|patient transport/i],
    ['carers', /\bcarers?\b/i],
    ['children and young people', /CAMHS|children|my (?:son|daughter)/i],
    ['mental health', /mental health|therapy|crisis team/i],
    ['dental', /dentist|dental/i],
    ['maternity', /midwi|labour|caesarean/i],
    ['NHS 111', /\b111\b/],
    ['A&E', /A&E|emergency department|\bED\b/],
  ])('covers %s', (_theme, pattern) => {
    expect(comments.filter((c) => pattern.test(c)).length).toBeGreaterThan(50);
  });

  it('mixes positive, negative and mixed comments', () => {
    const positive = comments.filter((c) => /lovely|brilliant|excellent|thank/i.test(c)).length;
    const negative = comments.filter((c) => /rude|waited|cannot|nobody/i.test(c)).length;
    const mixed = comments.filter((c) => /\b(?:However|But|Having said that|Sadly),? /.test(c));
    expect(positive).toBeGreaterThan(SAMPLE_SIZE * 0.1);
    expect(negative).toBeGreaterThan(SAMPLE_SIZE * 0.1);
    expect(mixed.length).toBeGreaterThan(SAMPLE_SIZE * 0.05);
  });

  it('names Kent and Medway towns in the text, and misspells at a small rate', () => {
    const towns = ['Gravesend', 'Margate', 'Chatham', 'Maidstone', 'Canterbury', 'Tunbridge Wells'];
    for (const town of towns) expect(comments.some((c) => c.includes(town))).toBe(true);
    const typos = comments.filter((c) => /apointment|recepshionist|perscription/i.test(c)).length;
    expect(typos).toBeGreaterThan(0);
    expect(typos / SAMPLE_SIZE).toBeLessThan(0.03);
  });

  it.each([
    ['Polish', /[ąęłńśźżć]/],
    ['Romanian', /[ăîșț]/],
    ['Nepali', /[\u0900-\u097F]/],
  ])('includes a few %s comments', (_language, script) => {
    const share = comments.filter((c) => script.test(c)).length / SAMPLE_SIZE;
    expect(share).toBeGreaterThan(0.001);
    expect(share).toBeLessThan(0.02);
  });

  it('asks one of a handful of questions, or none', () => {
    const questions = new Set(sample.map((r) => r.question));
    expect(questions).toContain('What was good about your visit?');
    expect(questions).toContain('What could we do better?');
    expect(questions).toContain('Is there anything else you would like to tell us?');
    expect(questions).toContain('');
    expect(questions.size).toBeLessThanOrEqual(6);
  });

  it('uses only Kent and Medway postcode districts, with outcodes, full postcodes and blanks', () => {
    const postcodes = sample.map((r) => r.postcode);
    const outward = (pc: string): string => {
      const compact = pc.replace(/\s+/g, '').toUpperCase();
      return /\d[A-Z]{2}$/.test(compact) && compact.length >= 5 ? compact.slice(0, -3) : compact;
    };
    const filled = postcodes.filter((pc) => pc !== '');
    expect(filled.filter((pc) => !KENT_OUTCODES.has(outward(pc)))).toEqual([]);
    expect(filled.some((pc) => /^[A-Z]{2}\d{1,2} \d[A-Z]{2}$/.test(pc))).toBe(true);
    expect(filled.some((pc) => KENT_OUTCODES.has(pc))).toBe(true);
    expect(postcodes.filter((pc) => pc === '').length).toBeGreaterThan(SAMPLE_SIZE * 0.2);
    const locations = new Set(sample.map((r) => r.location));
    expect(locations).toContain('Tonbridge and Malling');
    expect(locations).toContain('Margate');
    expect(locations).toContain('');
  });

  it('keeps a row’s town in the district of its postcode', () => {
    const gravesend = sample.filter((r) => r.location === 'Gravesend' && r.postcode !== '');
    expect(gravesend.length).toBeGreaterThan(0);
    for (const row of gravesend) expect(row.postcode.toUpperCase()).toMatch(/^DA1[1-3]/);
  });

  it('writes messy but plausible demographics, with blanks', () => {
    const values = (column: string): Set<string> => new Set(sample.map((r) => r[column]));
    const ages = [...values('age band')];
    expect(ages).toEqual(expect.arrayContaining(['35-44', '85+', 'Prefer not to say', '']));
    expect(ages.some((a) => /^\d{1,2}$/.test(a))).toBe(true);
    expect(ages.some((a) => /^(?:19|20)\d\d$/.test(a))).toBe(true);
    expect([...values('ethnicity')]).toEqual(
      expect.arrayContaining([
        'White British',
        'Asian or Asian British: Pakistani',
        'Prefer not to say',
        'N/K',
        '',
      ]),
    );
    for (const column of [
      'sex',
      'gender',
      'disability',
      'carer',
      'sexual orientation',
      'religion',
    ]) {
      const seen = values(column);
      expect(seen).toContain('');
      expect(seen.size).toBeGreaterThan(4);
    }
  });

  it('spreads dates over the default range in the template’s formats', () => {
    const iso = sample.map((r) => {
      const uk = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(r.date);
      return uk ? `${uk[3]}-${uk[2]}-${uk[1]}` : r.date;
    });
    expect(iso.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))).toBe(true);
    const sorted = [...iso].sort();
    expect(sorted[0] >= '2023-01-01' && sorted[0] < '2023-01-15').toBe(true);
    expect(sorted[sorted.length - 1] <= '2025-12-31').toBe(true);
    expect(sorted[sorted.length - 1] > '2025-12-15').toBe(true);
    expect(sample.some((r) => r.date.includes('/'))).toBe(true);
  });

  it('keeps to a custom date range', () => {
    const dates = rows({ seed: 5, count: 500, startDate: '2024-02-28', endDate: '2024-03-01' }).map(
      (r) => r.date,
    );
    const allowed = [
      '28/02/2024',
      '29/02/2024',
      '01/03/2024',
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
    ];
    expect(dates.filter((d) => !allowed.includes(d))).toEqual([]);
    expect(new Set(dates).size).toBeGreaterThanOrEqual(3);
  });

  it.each([
    [{ seed: 1, count: -1 }, /count/],
    [{ seed: 1, count: 1.5 }, /count/],
    [{ seed: Number.NaN, count: 1 }, /seed/],
    [{ seed: 1, count: 1, startDate: '2024-02-30' }, /startDate/],
    [{ seed: 1, count: 1, endDate: '31/12/2025' }, /endDate/],
    [{ seed: 1, count: 1, startDate: '2025-01-02', endDate: '2025-01-01' }, /before startDate/],
  ])('rejects bad options at the call (%j)', (opts, message) => {
    expect(() => generateFeedback(opts)).toThrow(message);
    expect(() => generateCsv(opts)).toThrow(message);
  });
});

describe('identifiers', () => {
  const kinds: Array<[PiiType, RegExp]> = [
    ['PHONE', PHONE_LIKE],
    ['EMAIL', EMAIL_LIKE],
    ['NHS_NUMBER', NHS_LIKE],
    ['NAME', DOCTOR_NAME],
  ];

  it('never appear when includePii is off', () => {
    for (const [, shape] of kinds) expect(comments.filter((c) => shape.test(c))).toEqual([]);
  });

  it('are not mistaken for personal data by the redactor when includePii is off', () => {
    const flagged = comments.slice(0, 5000).filter((c) => redact(c).entities.length > 0);
    expect(flagged).toEqual([]);
  });

  const withPii = rows({ seed: 99, count: 20_000, includePii: true }).map((r) => r.comment);

  it('appear in a small share of rows when includePii is on, and only fictional ones', () => {
    const carrying = withPii.filter((c) => kinds.some(([, shape]) => shape.test(c)));
    expect(carrying.length / withPii.length).toBeGreaterThan(PII_ROW_RATE / 2);
    expect(carrying.length / withPii.length).toBeLessThan(PII_ROW_RATE * 2);
    for (const c of carrying) {
      const phone = /0\d{3,4}\s?\d{6}/.exec(c);
      if (phone) expect(phone[0].replace(/\s/g, '')).toMatch(/^07700900\d{3}$/);
      const email = EMAIL_LIKE.exec(c);
      if (email) expect(email[0]).toMatch(/@example\.com\.?$/);
      const nhs = NHS_LIKE.exec(c);
      if (nhs) {
        const digits = nhs[0].replace(/\D/g, '');
        expect(digits.startsWith('999')).toBe(true);
        expect(isValidNhsNumber(digits)).toBe(true);
      }
    }
  });

  it.each(kinds)('of type %s are present and caught by the redactor', (type, shape) => {
    const carrying = withPii.filter((c) => shape.test(c));
    expect(carrying.length).toBeGreaterThan(50);
    const missed = carrying.filter((c) => !redact(c).entities.some((e) => e.type === type));
    expect(missed.length).toBe(0);
  });

  it('NHS numbers always pass the modulus-11 check', () => {
    const random = new SeededRandom(3);
    for (let i = 0; i < 1000; i++) expect(isValidNhsNumber(fictionalNhsNumber(random))).toBe(true);
  });
});

describe('textSource', () => {
  it('uses the given texts verbatim, in order, then draws from them again', () => {
    const texts = [
      'First, "quoted" comment.',
      '   ',
      'Second comment\nwith a line break.',
      'Third one.',
    ];
    const out = rows({ seed: 1, count: 10, textSource: texts }).map((r) => r.comment);
    expect(out.slice(0, 3)).toEqual([texts[0], texts[2], texts[3]]);
    for (const c of out.slice(3)) expect([texts[0], texts[2], texts[3]]).toContain(c);
  });

  it('reads a lazy source only as far as it needs', () => {
    let pulled = 0;
    function* endless(): Generator<string> {
      for (;;) yield `Comment ${++pulled}`;
    }
    const out = rows({ seed: 1, count: 5, textSource: endless() }).map((r) => r.comment);
    expect(out).toEqual(['Comment 1', 'Comment 2', 'Comment 3', 'Comment 4', 'Comment 5']);
    expect(pulled).toBe(5);
  });

  it('falls back to composed text when the source has nothing usable', () => {
    const out = rows({ seed: 1, count: 20, textSource: ['', '  '] });
    expect(out.every((r) => words(r.comment) >= 3)).toBe(true);
  });
});

describe('generateCsv', () => {
  it('parses back to the same rows, with quotes, commas and line breaks intact', async () => {
    const opts = { seed: 2024, count: 5000, includePii: true };
    const expected = rows(opts);
    const parsed = parse<SyntheticRow>(await csvText(opts), { columns: true });
    expect(parsed).toHaveLength(5000);
    expect(parsed).toEqual(expected);
    const texts = expected.map((r) => r.comment);
    expect(texts.some((c) => c.includes('"'))).toBe(true);
    expect(texts.some((c) => c.includes(','))).toBe(true);
    expect(texts.some((c) => c.includes('\n'))).toBe(true);
  });

  it('starts with the template header and is identical for the same seed', async () => {
    const a = await csvText({ seed: 8, count: 1200 });
    expect(a.slice(0, a.indexOf('\r\n'))).toBe(TEMPLATE_NAMES.join(','));
    expect(await csvText({ seed: 8, count: 1200 })).toBe(a);
    expect(await csvText({ seed: 9, count: 1200 })).not.toBe(a);
  });

  it('writes only the header for zero rows', async () => {
    expect(await csvText({ seed: 1, count: 0 })).toBe(`${TEMPLATE_NAMES.join(',')}\r\n`);
  });
});

describe('as an upload', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synthetic-feedback-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is read and mapped by the generic profile with every row accepted', async () => {
    const opts = { seed: 3, count: 3000, includePii: true };
    const file = path.join(dir, 'synthetic.csv');
    await pipeline(generateCsv(opts), fs.createWriteStream(file));
    let headers: string[] = [];
    const records: RawRecord[] = [];
    for await (const r of readRecords(file, { onHeaders: (h) => (headers = h) })) records.push(r);
    expect(records).toHaveLength(3000);
    expect(chooseProfile(headers).profile.name).toBe('generic');
    const mapping = buildMapping(headers, chooseProfile(headers).profile);
    expect(mapping.unmapped).toEqual([]);

    const expected = rows(opts);
    const mapped = records.map((r) => mapRecord(r, mapping));
    // UK dates such as 03/04/2024 are flagged as ambiguous (a warning); nothing else may come up.
    expect(mapped.flatMap((m) => m.problems).filter((p) => p.code !== 'ambiguous_date')).toEqual(
      [],
    );
    const comments = mapped.flatMap((m) => m.comments);
    expect(comments.map((c) => c.text)).toEqual(expected.map((r) => r.comment.trim()));
    expect(comments.map((c) => c.externalRef)).toEqual(expected.map((r) => r.reference));
    expect(comments.every((c) => c.date !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(c.date))).toBe(
      true,
    );
  });
});
