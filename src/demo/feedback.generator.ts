/**
 * Seeded synthetic feedback in the shape of the generic upload template, for the demo and the
 * ingestion and search benchmarks. Every row is invented: the text is composed from the phrases in
 * feedback.phrases.ts, identifiers (when asked for) come from ranges reserved for fiction, and the
 * reference column carries a SYN- prefix so synthetic rows are recognisable wherever they land.
 */
import { Readable } from 'node:stream';
import { GENERIC_TEMPLATE_COLUMNS } from '../../ingestion/template';
import { loadDemoPlaces, type DemoPlaces } from './demo-places.loader';
import {
  CARER_ANSWERS,
  CONTRAST_STARTERS,
  DISABILITY_ANSWERS,
  ETHNICITY_ANSWERS,
  FICTIONAL_FIRST_NAMES,
  FICTIONAL_SURNAMES,
  GENDER_ANSWERS,
  MAIN_TOWNS,
  NEGATIVE_CLOSERS,
  NON_ENGLISH,
  OPENERS,
  POSITIVE_CLOSERS,
  QUESTIONS,
  RATINGS,
  RELIGION_ANSWERS,
  SEX_ANSWERS,
  SEXUAL_ORIENTATION_ANSWERS,
  SHORT_NEGATIVE,
  SHORT_NEUTRAL,
  SHORT_POSITIVE,
  SLOT_VALUES,
  THEMES,
  TYPOS,
  type SlotName,
} from './feedback.phrases';
import { SeededRandom, WeightedChoice } from './seeded-random';

export const SYNTHETIC_LABEL = 'SYNTHETIC DEMO DATA — generated, not real feedback';
export const SYNTHETIC_REFERENCE_PREFIX = 'SYN-';

export interface GeneratorOptions {
  seed: number;
  count: number;
  /** First possible feedback date, yyyy-mm-dd (default 2023-01-01). */
  startDate?: string;
  /** Last possible feedback date, yyyy-mm-dd (default 2025-12-31). */
  endDate?: string;
  /**
   * Default false. When true a small share of rows carry FICTIONAL identifiers (Ofcom drama phone
   * numbers, example.com emails, NHS numbers from the unissued 999 range, "Dr <surname>") so
   * redaction can be exercised.
   */
  includePii?: boolean;
  /** Comment texts to draw from instead of the templates, in order, then at random. */
  textSource?: Iterable<string>;
  /** Place data file; defaults to the shipped Kent and Medway file. */
  placesFile?: string;
}

/** One row keyed by the generic upload template's column names. */
export interface SyntheticRow {
  [column: string]: string;
}

export const SYNTHETIC_COLUMNS: readonly string[] = GENERIC_TEMPLATE_COLUMNS.map((c) => c.name);

/** Share of rows carrying one fictional identifier when includePii is set. */
export const PII_ROW_RATE = 0.04;

type Sentiment = 'positive' | 'negative' | 'mixed';

interface Template {
  /** Literal text around the slots: parts.length === slots.length + 1. */
  parts: string[];
  slots: SlotName[];
  capitalise: boolean[];
  /** Most words the filled sentence can have. */
  maxWords: number;
  /** The sentence with its first letter lower-cased, to follow "However, " and the like. */
  lowered?: Template;
}

interface CompiledTheme {
  services: readonly string[];
  positive: Template[];
  negative: Template[];
}

interface RowContext {
  town: string;
}

const DEFAULT_START = '2023-01-01';
const DEFAULT_END = '2025-12-31';
const DAY_MS = 86_400_000;
// Leaves room for an identifier sentence, so no comment passes about 120 words.
const MAX_WORDS = 112;
const POSTCODE_UNIT_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

const SLOT_NAMES = new Set<string>([...Object.keys(SLOT_VALUES), 'town', 'away']);

function isSlotName(name: string): name is SlotName {
  return SLOT_NAMES.has(name);
}

function wordCount(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

function maxSlotWords(slot: SlotName): number {
  const values: readonly string[] =
    slot === 'town' || slot === 'away' ? MAIN_TOWNS : SLOT_VALUES[slot];
  return Math.max(...values.map(wordCount));
}

function compile(source: string): Template {
  const parts: string[] = [];
  const slots: SlotName[] = [];
  const capitalise: boolean[] = [];
  const pattern = /\{([A-Za-z]+)\}/g;
  let last = 0;
  let words = 0;
  for (const m of source.matchAll(pattern)) {
    const name = m[1].charAt(0).toLowerCase() + m[1].slice(1);
    if (!isSlotName(name)) throw new Error(`Unknown slot {${m[1]}} in a demo phrase`);
    parts.push(source.slice(last, m.index));
    slots.push(name);
    capitalise.push(m[1] !== name);
    words += maxSlotWords(name);
    last = m.index + m[0].length;
  }
  parts.push(source.slice(last));
  words += wordCount(parts.join(' '));
  return { parts, slots, capitalise, maxWords: words };
}

/** Sentences that open with a common word are lowered; "I", "A&E", "GP", "111" stay as written. */
function withLowered(template: Template): Template {
  const first = template.parts[0];
  let lowered: Template;
  if (first === '' && template.capitalise[0]) {
    lowered = { ...template, capitalise: [false, ...template.capitalise.slice(1)] };
  } else if (/^[A-Z][a-z]/.test(first)) {
    lowered = {
      ...template,
      parts: [first.charAt(0).toLowerCase() + first.slice(1), ...template.parts.slice(1)],
    };
  } else {
    lowered = template;
  }
  template.lowered = lowered;
  return template;
}

const compileAll = (sources: readonly string[]): Template[] =>
  sources.map((s) => withLowered(compile(s)));

// Compiled once per process: the phrase tables are constant.
const COMPILED_THEMES: CompiledTheme[] = THEMES.map((t) => ({
  services: t.services,
  positive: compileAll(t.positive),
  negative: compileAll(t.negative),
}));
const THEME_CHOICE = new WeightedChoice(COMPILED_THEMES.map((t, i) => [t, THEMES[i].weight]));
const OPENER_TEMPLATES = compileAll(OPENERS);
const POSITIVE_CLOSER_TEMPLATES = compileAll(POSITIVE_CLOSERS);
const NEGATIVE_CLOSER_TEMPLATES = compileAll(NEGATIVE_CLOSERS);
const CAPITALISED_SLOT_VALUES = Object.fromEntries(
  Object.entries(SLOT_VALUES).map(([k, v]) => [k, v.map(capitaliseFirst)]),
) as Record<keyof typeof SLOT_VALUES, string[]>;

function capitaliseFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const SENTIMENT = new WeightedChoice<Sentiment>([
  ['positive', 45],
  ['negative', 35],
  ['mixed', 20],
]);

type LengthClass = 'tiny' | 'one' | 'two' | 'few' | 'long';
// Real free-text answers are mostly a phrase or a sentence, with a long tail of detailed stories.
const LENGTH = new WeightedChoice<LengthClass>([
  ['tiny', 28],
  ['one', 34],
  ['two', 20],
  ['few', 11],
  ['long', 7],
]);

const LANGUAGE = new WeightedChoice<keyof typeof NON_ENGLISH | 'en'>([
  ['en', 985],
  ['pl', 6],
  ['ro', 5],
  ['ne', 4],
]);

const SEX = new WeightedChoice(SEX_ANSWERS);
const ETHNICITY = new WeightedChoice(ETHNICITY_ANSWERS);
const DISABILITY = new WeightedChoice(DISABILITY_ANSWERS);
const CARER = new WeightedChoice(CARER_ANSWERS);
const SEXUAL_ORIENTATION = new WeightedChoice(SEXUAL_ORIENTATION_ANSWERS);
const RELIGION = new WeightedChoice(RELIGION_ANSWERS);

// Ages of people who give feedback lean older than the population.
const AGE_RANGES = new WeightedChoice<readonly [number, number]>([
  [[1, 15], 6],
  [[16, 17], 2],
  [[18, 24], 7],
  [[25, 34], 13],
  [[35, 44], 14],
  [[45, 54], 15],
  [[55, 64], 16],
  [[65, 74], 14],
  [[75, 84], 9],
  [[85, 99], 4],
]);

const BANDS: ReadonlyArray<readonly [number, number]> = [
  [0, 15],
  [16, 17],
  [18, 24],
  [25, 34],
  [35, 44],
  [45, 54],
  [55, 64],
  [65, 74],
  [75, 84],
];

function bandOf(age: number): readonly [number, number] | undefined {
  return BANDS.find(([lo, hi]) => age >= lo && age <= hi);
}

function parseDay(value: string, option: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const ms = Date.UTC(year, month - 1, day);
    const d = new Date(ms);
    if (d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day) {
      return ms / DAY_MS;
    }
  }
  throw new RangeError(`${option} must be a calendar date written yyyy-mm-dd`);
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Validates options and holds everything a row needs, so rows cost only draws and joins. */
class FeedbackSynthesiser {
  private readonly random: SeededRandom;
  private readonly places: DemoPlaces;
  private readonly ukDates: string[] = [];
  private readonly isoDates: string[] = [];
  private readonly years: number[] = [];
  private readonly includePii: boolean;
  private readonly source?: Iterator<string>;
  private readonly seen: string[] = [];
  private sourceDone = false;
  private readonly referencePrefix: string;
  private readonly context: RowContext = { town: '' };

  constructor(opts: GeneratorOptions) {
    if (!Number.isSafeInteger(opts.seed)) throw new RangeError('seed must be an integer');
    if (!Number.isSafeInteger(opts.count) || opts.count < 0) {
      throw new RangeError('count must be a whole number, zero or more');
    }
    const first = parseDay(opts.startDate ?? DEFAULT_START, 'startDate');
    const last = parseDay(opts.endDate ?? DEFAULT_END, 'endDate');
    if (last < first) throw new RangeError('endDate must not be before startDate');
    for (let day = first; day <= last; day++) {
      const d = new Date(day * DAY_MS);
      const [y, mo, da] = [d.getUTCFullYear(), pad2(d.getUTCMonth() + 1), pad2(d.getUTCDate())];
      this.ukDates.push(`${da}/${mo}/${y}`);
      this.isoDates.push(`${y}-${mo}-${da}`);
      this.years.push(y);
    }
    this.random = new SeededRandom(opts.seed);
    this.places = loadDemoPlaces(MAIN_TOWNS, opts.placesFile);
    this.includePii = opts.includePii ?? false;
    this.source = opts.textSource?.[Symbol.iterator]();
    this.referencePrefix = `${SYNTHETIC_REFERENCE_PREFIX}${opts.seed}-`;
  }

  row(n: number): SyntheticRow {
    const r = this.random;
    const outcode = r.pick(this.places.outcodes);
    const district = this.places.districtOfOutcode.get(outcode) ?? '';
    const districtNames = this.places.districtNames.get(district) ?? [''];
    const town = r.pick(this.places.townsByDistrict.get(district) ?? districtNames);
    this.context.town = town;

    const postcode = this.postcode(outcode);
    const location = this.location(postcode === '', town, districtNames);

    const sentiment = SENTIMENT.draw(r);
    const theme = THEME_CHOICE.draw(r);
    const sourced = this.source ? this.nextSourceText() : undefined;
    let comment: string;
    let english = true;
    if (sourced !== undefined) {
      comment = sourced;
    } else {
      const language = LANGUAGE.draw(r);
      if (language === 'en') {
        comment = this.compose(sentiment, theme);
      } else {
        comment = r.pick(NON_ENGLISH[language]);
        english = false;
      }
    }
    if (english && sourced === undefined) comment = this.roughen(comment);
    // Identifiers go in after roughening so they keep the exact shapes redaction is tested on.
    if (this.includePii && r.chance(PII_ROW_RATE)) comment = this.withIdentifier(comment);

    const dayIndex = r.below(this.ukDates.length);
    const date = r.chance(0.85) ? this.ukDates[dayIndex] : this.isoDates[dayIndex];
    const service = r.chance(0.8) ? r.pick(theme.services) : '';
    const practice =
      service.startsWith('GP') && r.chance(0.15)
        ? `Z99${String(r.below(1000)).padStart(3, '0')}`
        : '';
    const demographics = this.demographics(this.years[dayIndex]);

    return {
      comment,
      question: this.question(sentiment),
      reference: this.referencePrefix + String(n),
      date,
      postcode,
      service,
      location,
      'gp practice code': practice,
      'age band': demographics.age,
      sex: demographics.sex,
      gender: demographics.gender,
      ethnicity: demographics.ethnicity,
      disability: demographics.disability,
      carer: demographics.carer,
      'sexual orientation': demographics.sexualOrientation,
      religion: demographics.religion,
      rating: r.chance(0.45) ? '' : r.pick(RATINGS[sentiment]),
    };
  }

  private nextSourceText(): string | undefined {
    while (this.source && !this.sourceDone) {
      const next = this.source.next();
      if (next.done) {
        this.sourceDone = true;
        break;
      }
      if (typeof next.value === 'string' && next.value.trim() !== '') {
        this.seen.push(next.value);
        return next.value;
      }
    }
    return this.seen.length > 0 ? this.random.pick(this.seen) : undefined;
  }

  private postcode(outcode: string): string {
    const r = this.random;
    const x = r.next();
    if (x < 0.4) return outcode;
    if (x >= 0.62) return '';
    const inward =
      String(r.below(10)) +
      POSTCODE_UNIT_LETTERS.charAt(r.below(POSTCODE_UNIT_LETTERS.length)) +
      POSTCODE_UNIT_LETTERS.charAt(r.below(POSTCODE_UNIT_LETTERS.length));
    const y = r.next();
    if (y < 0.8) return `${outcode} ${inward}`;
    if (y < 0.9) return `${outcode} ${inward}`.toLowerCase();
    return outcode + inward;
  }

  private location(noPostcode: boolean, town: string, districtNames: readonly string[]): string {
    const x = this.random.next();
    const [townShare, districtShare] = noPostcode ? [0.5, 0.7] : [0.45, 0.6];
    if (x < townShare) return town;
    if (x < districtShare) return this.random.pick(districtNames);
    return '';
  }

  private question(sentiment: Sentiment): string {
    const r = this.random;
    const x = r.next();
    if (x < 0.25) return '';
    if (x < 0.35) return QUESTIONS.else;
    if (x < 0.45) return QUESTIONS.overall;
    // People answer the question they were asked: praise under "good", complaints under "better".
    const leaning = r.chance(0.75);
    if (sentiment === 'positive') return leaning ? QUESTIONS.good : QUESTIONS.better;
    if (sentiment === 'negative') return leaning ? QUESTIONS.better : QUESTIONS.good;
    return r.chance(0.5) ? QUESTIONS.good : QUESTIONS.better;
  }

  private compose(sentiment: Sentiment, theme: CompiledTheme): string {
    const r = this.random;
    const length = LENGTH.draw(r);
    if (length === 'tiny') {
      if (sentiment === 'mixed') return `${r.pick(SHORT_POSITIVE)} ${r.pick(SHORT_NEGATIVE)}`;
      if (r.chance(0.1)) return r.pick(SHORT_NEUTRAL);
      return r.pick(sentiment === 'positive' ? SHORT_POSITIVE : SHORT_NEGATIVE);
    }
    const sentenceCount =
      length === 'one'
        ? 1
        : length === 'two'
          ? 2
          : length === 'few'
            ? r.between(3, 4)
            : r.between(5, 8);
    const sentences: string[] = [];
    let words = 0;
    const add = (t: Template): boolean => {
      if (words + t.maxWords > MAX_WORDS) return false;
      sentences.push(this.fill(t));
      words += t.maxWords;
      return true;
    };
    const used = new Set<Template>();
    // A person does not say the same sentence twice: take the first unused one from a random start.
    const pickFrom = (list: readonly Template[]): Template | undefined => {
      const start = r.below(list.length);
      for (let k = 0; k < list.length; k++) {
        const t = list[(start + k) % list.length];
        if (!used.has(t)) {
          used.add(t);
          return t;
        }
      }
      return undefined;
    };
    const nextTheme = (): CompiledTheme => (r.chance(0.6) ? theme : THEME_CHOICE.draw(r));

    if (length === 'few' || length === 'long') {
      if (r.chance(0.5)) add(r.pick(OPENER_TEMPLATES));
    }
    const body = sentenceCount === 1 && sentiment === 'mixed' ? 2 : sentenceCount;
    const turnAt = sentiment === 'mixed' ? Math.max(1, Math.floor(body / 2)) : -1;
    for (let i = 0; i < body; i++) {
      const negative = sentiment === 'negative' || (sentiment === 'mixed' && i >= turnAt);
      const polarity = (t: CompiledTheme): Template[] => (negative ? t.negative : t.positive);
      const template =
        pickFrom(polarity(i === 0 ? theme : nextTheme())) ??
        pickFrom(polarity(THEME_CHOICE.draw(r)));
      if (!template) continue;
      if (i === turnAt) {
        const starter = r.pick(CONTRAST_STARTERS);
        if (words + template.maxWords + 3 > MAX_WORDS) break;
        sentences.push(starter + this.fill(template.lowered ?? template));
        words += template.maxWords + wordCount(starter);
      } else if (!add(template)) {
        break;
      }
    }
    if ((length === 'few' || length === 'long') && r.chance(0.5)) {
      add(r.pick(sentiment === 'positive' ? POSITIVE_CLOSER_TEMPLATES : NEGATIVE_CLOSER_TEMPLATES));
    }
    if (length === 'long' && r.chance(0.35)) {
      // Long stories arrive with their own line breaks, sometimes as paragraphs.
      const breakAt = r.between(1, Math.max(1, sentences.length - 1));
      const separator = r.chance(0.5) ? '\n\n' : '\n';
      return `${sentences.slice(0, breakAt).join(' ')}${separator}${sentences.slice(breakAt).join(' ')}`;
    }
    return sentences.join(' ');
  }

  private fill(t: Template): string {
    let out = t.parts[0];
    for (let i = 0; i < t.slots.length; i++) {
      out += this.slotValue(t.slots[i], t.capitalise[i]) + t.parts[i + 1];
    }
    return out;
  }

  private slotValue(slot: SlotName, capitalise: boolean): string {
    switch (slot) {
      case 'town':
        return this.context.town;
      case 'away': {
        let other = this.random.pick(this.places.towns);
        if (other === this.context.town) other = this.random.pick(this.places.towns);
        return other;
      }
      case 'staff':
      case 'relative':
      case 'mins':
      case 'hours':
      case 'weeks':
      case 'months':
      case 'day':
        return this.random.pick(capitalise ? CAPITALISED_SLOT_VALUES[slot] : SLOT_VALUES[slot]);
    }
  }

  /** Typing as people type: the odd misspelling, all lower case, a missing full stop. */
  private roughen(text: string): string {
    const r = this.random;
    let out = text;
    if (r.chance(0.05)) {
      let changed = 0;
      for (const [right, wrong] of TYPOS) {
        if (out.includes(right)) {
          out = out.replace(right, wrong);
          if (++changed === 2) break;
        }
      }
    }
    const x = r.next();
    if (x < 0.03) out = out.toLowerCase();
    else if (x < 0.037) out = out.toUpperCase();
    if (r.chance(0.06) && out.endsWith('.')) out = out.slice(0, -1);
    return out;
  }

  private withIdentifier(text: string): string {
    const r = this.random;
    let sentence: string;
    switch (r.below(4)) {
      case 0: {
        const digits = String(r.below(1000)).padStart(3, '0');
        const number = r.chance(0.7) ? `07700 900${digits}` : `07700900${digits}`;
        sentence = r.chance(0.5)
          ? `Please call me on ${number}.`
          : `You can ring me on ${number} any time.`;
        break;
      }
      case 1: {
        const first = r.pick(FICTIONAL_FIRST_NAMES);
        const surname = r.pick(FICTIONAL_SURNAMES).toLowerCase();
        sentence = `My email is ${first}.${surname}@example.com if you want to follow this up.`;
        break;
      }
      case 2: {
        const nhs = fictionalNhsNumber(r);
        sentence = r.chance(0.7)
          ? `My NHS number is ${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}.`
          : `NHS no ${nhs}.`;
        break;
      }
      default: {
        const verdict = r.pick([
          'was brilliant',
          'was very thorough',
          'did not listen',
          'was kind',
        ]);
        sentence = `Dr ${r.pick(FICTIONAL_SURNAMES)} ${verdict}.`;
      }
    }
    return r.chance(0.3) ? `${sentence} ${text}` : `${text} ${sentence}`;
  }

  private demographics(
    year: number,
  ): Record<
    | 'age'
    | 'sex'
    | 'gender'
    | 'ethnicity'
    | 'disability'
    | 'carer'
    | 'sexualOrientation'
    | 'religion',
    string
  > {
    const r = this.random;
    // Many forms arrive with the equality questions skipped altogether.
    if (r.chance(0.3)) {
      return {
        age: '',
        sex: '',
        gender: '',
        ethnicity: '',
        disability: '',
        carer: '',
        sexualOrientation: '',
        religion: '',
      };
    }
    const blank = (p: number): boolean => r.chance(p);
    const [lo, hi] = AGE_RANGES.draw(r);
    const age = r.between(lo, hi);
    // Forms for children are filled in by a parent, who is not asked the adult questions.
    const child = age < 16;
    const sex = blank(0.08) ? '' : SEX.draw(r);
    return {
      age: blank(0.1) ? '' : this.age(age, year),
      sex,
      gender: child || blank(0.35) ? '' : this.gender(sex),
      ethnicity: blank(0.1) ? '' : ETHNICITY.draw(r),
      disability: blank(0.12) ? '' : DISABILITY.draw(r),
      carer: child || blank(0.15) ? '' : CARER.draw(r),
      sexualOrientation: child || blank(0.25) ? '' : SEXUAL_ORIENTATION.draw(r),
      religion: blank(0.2) ? '' : RELIGION.draw(r),
    };
  }

  private age(age: number, year: number): string {
    const r = this.random;
    const x = r.next();
    if (x < 0.04) return 'Prefer not to say';
    if (x < 0.06) return 'N/K';
    const band = bandOf(age);
    const y = r.next();
    if (y < 0.2) return String(age);
    if (y < 0.25) return `${age} yrs`;
    if (y < 0.33) return String(year - age);
    if (!band) return r.chance(0.7) ? '85+' : '85 and over';
    const [bLo, bHi] = band;
    if (bLo === 0) return r.chance(0.5) ? '0-15' : 'Under 16';
    if (y < 0.8) return `${bLo}-${bHi}`;
    if (y < 0.9) return `${bLo} - ${bHi}`;
    return `${bLo} to ${bHi}`;
  }

  private gender(sex: string): string {
    const r = this.random;
    if (r.chance(0.015)) return r.pick(GENDER_ANSWERS.other);
    const s = sex.toLowerCase();
    if (s === 'female' || s === 'f' || s === 'woman') return r.pick(GENDER_ANSWERS.female);
    if (s === 'male' || s === 'm') return r.pick(GENDER_ANSWERS.male);
    return r.pick(GENDER_ANSWERS.none);
  }
}

/**
 * A ten-digit number that passes the NHS modulus-11 check, from the 999 range, which is never
 * issued to patients.
 */
export function fictionalNhsNumber(random: SeededRandom): string {
  for (;;) {
    let digits = '999';
    for (let i = 0; i < 6; i++) digits += String(random.below(10));
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * (10 - i);
    let check = 11 - (sum % 11);
    if (check === 11) check = 0;
    if (check === 10) continue;
    const full = digits + String(check);
    if (full !== '9999999999') return full;
  }
}

/**
 * Rows of synthetic feedback. Options are checked and place data loaded on the call, so a bad
 * option fails here rather than at the first read.
 */
export function generateFeedback(opts: GeneratorOptions): Generator<SyntheticRow> {
  const synth = new FeedbackSynthesiser(opts);
  return (function* rows(): Generator<SyntheticRow> {
    for (let n = 1; n <= opts.count; n++) yield synth.row(n);
  })();
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV line (CRLF-terminated) in template column order. */
export function csvLine(row: SyntheticRow): string {
  let line = '';
  for (let i = 0; i < SYNTHETIC_COLUMNS.length; i++) {
    if (i > 0) line += ',';
    line += csvCell(row[SYNTHETIC_COLUMNS[i]] ?? '');
  }
  return `${line}\r\n`;
}

const ROWS_PER_CHUNK = 500;

/**
 * The rows as a CSV file (header first), produced as the reader pulls so memory stays flat
 * however many rows are asked for.
 */
export function generateCsv(opts: GeneratorOptions): NodeJS.ReadableStream {
  const rows = generateFeedback(opts);
  function* chunks(): Generator<string> {
    yield SYNTHETIC_COLUMNS.map(csvCell).join(',') + '\r\n';
    let buffer = '';
    let inBuffer = 0;
    for (const row of rows) {
      buffer += csvLine(row);
      if (++inBuffer === ROWS_PER_CHUNK) {
        yield buffer;
        buffer = '';
        inBuffer = 0;
      }
    }
    if (buffer !== '') yield buffer;
  }
  return Readable.from(chunks(), { objectMode: false });
}
