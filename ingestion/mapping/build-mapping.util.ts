import type { RawRecord } from '../adapters/adapter.types';
import { headerWords, normaliseHeader } from '../profiles/normalise-header.util';
import {
  CANONICAL_FIELDS,
  type CanonicalField,
  type Profile,
  type ValueMap,
  type ValueMapField,
} from '../profiles/profile.types';
import { MappingError } from './mapping.error';
import type { ColumnMapping } from './mapping.types';
import { combineValueMaps } from './value-map.util';

/** Headers longer than this could be a data row read as a header; they are not echoed in errors. */
const MAX_ECHOED_HEADER = 120;
const MAX_KEYWORD_HEADER_WORDS = 10;

/**
 * A survey asks for details about the respondent with questions ("What is your age?"); those
 * columns are demographics, not comments, even when the profile has no exact alias for them.
 */
const FIELD_KEYWORDS: readonly [CanonicalField, (w: string[]) => boolean][] = [
  ['postcode', (w) => w.includes('postcode') || adjacent(w, 'post', 'code')],
  ['age', (w) => w.includes('age') || w.includes('aged') || adjacent(w, 'how', 'old')],
  [
    'sexuality',
    (w) => w.includes('sexuality') || (w.includes('sexual') && w.includes('orientation')),
  ],
  ['sex', (w) => w.includes('sex')],
  ['gender', (w) => w.includes('gender')],
  ['ethnicity', (w) => w.some((x) => x.startsWith('ethnic'))],
  ['disability', (w) => w.some((x) => x.startsWith('disab'))],
  ['carer', (w) => w.includes('carer') || w.includes('carers') || adjacent(w, 'unpaid', 'care')],
  ['religion', (w) => w.includes('religion') || w.includes('religious') || w.includes('faith')],
];

const TEXT_WORDS = new Set([
  'comment',
  'comments',
  'feedback',
  'verbatim',
  'quote',
  'quotes',
  'remarks',
  'experience',
  'answer',
  'story',
]);
const NOT_TEXT_WORDS = new Set([
  'date',
  'id',
  'ref',
  'reference',
  'type',
  'code',
  'number',
  'no',
  'rating',
  'score',
  'count',
  'category',
  'theme',
  'label',
  'sentiment',
  'subcategory',
  'criticality',
  'status',
  'time',
]);

/** Closed questions: their answers are choices from a list, not comments. */
const RATING_HEADER =
  /\b(rate|rating|score|scale|stars?|how likely|how satisfied|satisf\w*|agree|recommend|yes\s*\/\s*no|tick|select|which of|how often|how easy|how long|how many|overall,? how)\b/i;

const RATING_VOCABULARY = new Set([
  'very good',
  'good',
  'neither good nor poor',
  'poor',
  'very poor',
  "don't know",
  'dont know',
  'yes',
  'no',
  'maybe',
  'strongly agree',
  'agree',
  'neither agree nor disagree',
  'disagree',
  'strongly disagree',
  'excellent',
  'fair',
  'very likely',
  'likely',
  'unlikely',
  'very unlikely',
  'extremely likely',
  'not at all',
  'sometimes',
  'always',
  'never',
  'x',
  '✓',
  'ticked',
  'n/a',
  'satisfied',
  'very satisfied',
  'dissatisfied',
  'very dissatisfied',
  'prefer not to say',
]);

/**
 * Matches the file's headers to canonical fields. `columnMap` (field -> header as in the file)
 * wins over the profile; `sample` records, when given, let per-question mode tell free-text
 * answers from tick-box columns by their values, not only their headers. `valueMap` (field ->
 * code -> answer, checked by `checkValueMap`) adds to and wins over the profile's own codes; a
 * field it names must be read from some column of the file.
 */
export function buildMapping(
  headers: readonly string[],
  profile: Profile,
  columnMap?: Record<string, string>,
  sample?: readonly RawRecord[],
  valueMap?: ValueMap,
): ColumnMapping {
  const used = new Set<string>();
  const columns: Partial<Record<CanonicalField, string[]>> = {};
  const assign = (field: CanonicalField, header: string) => {
    (columns[field] ??= []).push(header);
    used.add(header);
  };

  for (const [field, wanted] of Object.entries(columnMap ?? {})) {
    if (!(CANONICAL_FIELDS as readonly string[]).includes(field)) {
      throw new MappingError(
        'unknown_field',
        `The column map names an unknown field "${field}"; fields are: ${CANONICAL_FIELDS.join(', ')}.`,
      );
    }
    const header = findHeader(headers, wanted);
    if (header === undefined) {
      throw new MappingError(
        'unknown_column',
        `The column map sets ${field} to "${echo(wanted)}", but the file has no such column. Columns in the file: ${listHeaders(headers)}.`,
      );
    }
    assign(field as CanonicalField, header);
  }

  const byNormal = new Map<string, string[]>();
  for (const h of headers) {
    const key = normaliseHeader(h);
    if (key !== '') byNormal.set(key, [...(byNormal.get(key) ?? []), h]);
  }
  const combine = new Set(profile.combine ?? []);
  for (const field of CANONICAL_FIELDS) {
    if (columns[field]) continue;
    for (const alias of profile.columns[field] ?? []) {
      const header = byNormal.get(normaliseHeader(alias))?.find((h) => !used.has(h));
      if (header === undefined) continue;
      assign(field, header);
      if (!combine.has(field)) break;
    }
  }

  for (const [field, matches] of FIELD_KEYWORDS) {
    if (columns[field]) continue;
    const header = headers.find((h) => {
      if (used.has(h)) return false;
      const words = headerWords(h);
      return words.length <= MAX_KEYWORD_HEADER_WORDS && matches(words);
    });
    if (header !== undefined) assign(field, header);
  }

  let questionColumns: string[] = [];
  const textForced = columnMap !== undefined && 'text' in columnMap;
  if (profile.textColumns === 'per-question' && !textForced) {
    const patterns = (profile.questionColumns?.match ?? []).map((p) => new RegExp(p, 'i'));
    const textHeader = columns.text?.[0];
    questionColumns = headers.filter((h) => {
      if (h !== textHeader && (used.has(h) || !patterns.some((p) => p.test(h.trim()))))
        return false;
      if (h !== textHeader && RATING_HEADER.test(h)) return false;
      return !sample || looksLikeFreeText(sample, h);
    });
    // A lone comment column is not a survey: per-question mode needs at least one question column.
    if (questionColumns.every((h) => h === textHeader)) questionColumns = [];
    if (questionColumns.length > 0) {
      delete columns.text;
      if (textHeader !== undefined) used.delete(textHeader);
      for (const h of questionColumns) used.add(h);
    }
  }

  if (questionColumns.length === 0 && !columns.text) {
    const header = headers.find((h) => {
      if (used.has(h)) return false;
      const words = headerWords(h);
      return words.some((w) => TEXT_WORDS.has(w)) && !words.some((w) => NOT_TEXT_WORDS.has(w));
    });
    if (header === undefined) {
      const tried = [
        ...(profile.columns.text ?? []),
        ...(profile.questionColumns?.match.map((p) => `/${p}/`) ?? []),
      ];
      throw new MappingError(
        'no_text_column',
        `No comment column found using the "${profile.name}" profile. Columns in the file: ${listHeaders(headers)}. ` +
          `Column names tried for the comment: ${tried.join(', ')}. Name the comment column in the column map.`,
      );
    }
    assign('text', header);
  }

  const partnerFields = Object.keys(valueMap ?? {}) as ValueMapField[];
  const withoutColumn = partnerFields.filter((f) => !columns[f]);
  if (withoutColumn.length) {
    throw new MappingError(
      'unknown_field',
      `The value map has codes for ${withoutColumn.join(', ')}, but no column of the file is read as ${withoutColumn.length > 1 ? 'those fields' : 'that field'}. Columns in the file: ${listHeaders(headers)}. Name the column in the column map.`,
    );
  }
  const values = combineValueMaps(profile.values, valueMap);
  for (const field of Object.keys(values) as ValueMapField[]) {
    if (!columns[field]) delete values[field];
  }

  return {
    profile: profile.name,
    mode: questionColumns.length > 0 ? 'per-question' : 'single',
    columns,
    questionColumns,
    unmapped: headers.filter((h) => !used.has(h)),
    ...(Object.keys(values).length ? { values } : {}),
  };
}

/**
 * Free text varies and runs to sentences; a tick-box column repeats a few short choices.
 * Ambiguous columns count as free text so no comment is lost.
 */
export function looksLikeFreeText(sample: readonly RawRecord[], header: string): boolean {
  const values: string[] = [];
  for (const record of sample) {
    const v = record.values[header];
    if (v === null || v === undefined || v instanceof Date) continue;
    const s = String(v).trim();
    if (s !== '') values.push(s.toLowerCase());
  }
  if (values.length === 0) return true;
  if (values.every((v) => /^-?\d+(\.\d+)?$/.test(v))) return false;
  const sentences = values.filter((v) => v.split(/\s+/).length >= 4).length;
  if (sentences / values.length >= 0.2) return true;
  if (values.every((v) => RATING_VOCABULARY.has(v))) return false;
  const distinct = new Set(values).size;
  return !(values.length >= 10 && distinct <= Math.max(6, values.length * 0.1));
}

function findHeader(headers: readonly string[], wanted: string): string | undefined {
  if (headers.includes(wanted)) return wanted;
  const trimmed = headers.find((h) => h.trim() === wanted.trim());
  if (trimmed !== undefined) return trimmed;
  const key = normaliseHeader(wanted);
  const matches = headers.filter((h) => normaliseHeader(h) === key);
  return key !== '' && matches.length === 1 ? matches[0] : undefined;
}

function adjacent(words: string[], a: string, b: string): boolean {
  for (let i = 0; i + 1 < words.length; i++) if (words[i] === a && words[i + 1] === b) return true;
  return false;
}

function echo(header: string): string {
  return header.length > MAX_ECHOED_HEADER ? `[a name of ${header.length} characters]` : header;
}

export function listHeaders(headers: readonly string[]): string {
  if (headers.length === 0) return '(none)';
  const shown = headers.slice(0, 50).map((h) => `"${echo(h)}"`);
  return headers.length > 50
    ? `${shown.join(', ')} and ${headers.length - 50} more`
    : shown.join(', ');
}
