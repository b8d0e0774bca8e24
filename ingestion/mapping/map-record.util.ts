import type { RawRecord, RawValue } from '../adapters/adapter.types';
import { MAX_CELL_CHARS } from '../adapters/cell-limiter.util';
import type { CanonicalField } from '../profiles/profile.types';
import { parseFeedbackDate } from './date-parse.util';
import type {
  CandidateComment,
  ColumnMapping,
  FieldsOf,
  MapOptions,
  RowProblem,
} from './mapping.types';
import { isPlaceholderComment } from './placeholder.util';
import { lookUpCode } from './value-map.util';

export const DEFAULT_MAX_TEXT_LENGTH = 20_000;

interface Plan {
  fields: [FieldsOf, string[]][];
  text?: string;
  question?: string;
  externalRef?: string;
  date?: string;
  consumed: Set<string>;
}

const plans = new WeakMap<ColumnMapping, Plan>();
const NOT_FIELDS = new Set<CanonicalField>(['text', 'question', 'externalRef', 'date']);

/**
 * Turns one record into candidate comments plus the problems found. Errors reject a comment (or
 * the row, in part 0); warnings keep it without the bad value. Problems name columns and limits,
 * never the feedback text.
 */
export function mapRecord(
  rec: RawRecord,
  mapping: ColumnMapping,
  opts: MapOptions = {},
): { comments: CandidateComment[]; problems: RowProblem[] } {
  const plan = planFor(mapping);
  const maxLength = opts.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH;
  const { rowNumber, values } = rec;
  const problems: RowProblem[] = [];
  const textColumns = new Set(
    mapping.mode === 'single' ? [plan.text ?? ''] : mapping.questionColumns,
  );
  // A cell the reader had to cut holds only part of what was written: nothing of the row is kept.
  // A comment cut short is simply too long (the reader keeps more than any comment limit).
  for (const [column, length] of Object.entries(rec.oversized ?? {})) {
    problems.push(
      textColumns.has(column)
        ? tooLong(rowNumber, 0, column, length, maxLength)
        : problem(
            rowNumber,
            0,
            'text_too_long',
            column,
            `The value in column "${column}" is ${length} characters long; the reader keeps cells of up to ${MAX_CELL_CHARS} characters.`,
          ),
    );
  }
  if (problems.length) return { comments: [], problems };

  const fields: CandidateComment['fields'] = {};
  for (const [field, headers] of plan.fields) {
    const v = headers.length === 1 ? asText(values[headers[0]]) : joinValues(values, headers);
    if (v === undefined) continue;
    const codes = mapping.values?.[field as keyof NonNullable<ColumnMapping['values']>];
    fields[field] = lookUpCode(codes, v) ?? v;
  }
  const metadata: Record<string, string> = {};
  for (const key in values) {
    if (plan.consumed.has(key)) continue;
    const v = asText(values[key]);
    if (v !== undefined) metadata[key] = v;
  }
  const externalRef = plan.externalRef !== undefined ? asText(values[plan.externalRef]) : undefined;
  let date: string | undefined;
  if (plan.date !== undefined) {
    const raw = values[plan.date];
    if (raw !== null && raw !== undefined && !(typeof raw === 'string' && raw.trim() === '')) {
      const parsed = parseFeedbackDate(raw, opts.dateOrder);
      if (parsed.ok) {
        date = parsed.iso;
        if (!opts.dateOrder && typeof raw === 'string' && isAmbiguousNumericDate(raw)) {
          problems.push({
            rowNumber,
            part: 0,
            code: 'ambiguous_date',
            severity: 'warning',
            field: plan.date,
            message: `The date in column "${plan.date}" could be read either way round; it was read day-first (UK) as ${parsed.iso}. Set the date order to month-first if the file is.`,
          });
        }
      } else {
        const hint =
          parsed.reason === 'month_first_only'
            ? ' It is only valid month-first (US style); set the date order to month-first if the whole file is.'
            : '';
        problems.push({
          rowNumber,
          part: 0,
          code: 'invalid_date',
          severity: 'warning',
          field: plan.date,
          message: `The value in column "${plan.date}" is not a recognisable date; the comment is kept without a date.${hint}`,
        });
      }
    }
  }

  const comments: CandidateComment[] = [];
  if (mapping.mode === 'single') {
    const textColumn = plan.text ?? '';
    const raw = values[textColumn];
    if (raw === undefined) {
      problems.push(
        problem(rowNumber, 0, 'missing_text', textColumn, `The row has no "${textColumn}" column.`),
      );
    } else {
      const text = cleanText(raw);
      const rejected = checkText(text, rowNumber, 0, textColumn, maxLength);
      if (rejected) problems.push(rejected);
      else {
        const question = plan.question !== undefined ? asText(values[plan.question]) : undefined;
        comments.push(comment(rowNumber, 0, text, question, externalRef, date, fields, metadata));
      }
    }
  } else {
    mapping.questionColumns.forEach((column, part) => {
      const text = cleanText(values[column]);
      if (isPlaceholderComment(text)) return;
      const rejected = checkText(text, rowNumber, part, column, maxLength);
      if (rejected) problems.push(rejected);
      else
        comments.push(
          comment(rowNumber, part, text, column, externalRef, date, { ...fields }, { ...metadata }),
        );
    });
    if (comments.length === 0 && !problems.some((p) => p.severity === 'error')) {
      problems.push(
        problem(
          rowNumber,
          0,
          'empty_comment',
          undefined,
          `None of the ${mapping.questionColumns.length} question columns has an answer.`,
        ),
      );
    }
  }
  return { comments, problems };
}

function checkText(
  text: string,
  rowNumber: number,
  part: number,
  column: string,
  maxLength: number,
): RowProblem | undefined {
  if (isPlaceholderComment(text)) {
    return problem(
      rowNumber,
      part,
      'empty_comment',
      column,
      `The comment in column "${column}" is empty or a placeholder such as "N/A".`,
    );
  }
  if (text.length > maxLength) return tooLong(rowNumber, part, column, text.length, maxLength);
  return undefined;
}

function tooLong(
  rowNumber: number,
  part: number,
  column: string,
  length: number,
  maxLength: number,
): RowProblem {
  return problem(
    rowNumber,
    part,
    'text_too_long',
    column,
    `The comment in column "${column}" is ${length} characters long; the limit is ${maxLength}.`,
  );
}

function problem(
  rowNumber: number,
  part: number,
  code: RowProblem['code'],
  field: string | undefined,
  message: string,
): RowProblem {
  return field === undefined
    ? { rowNumber, part, code, severity: 'error', message }
    : { rowNumber, part, code, severity: 'error', field, message };
}

function comment(
  rowNumber: number,
  part: number,
  text: string,
  question: string | undefined,
  externalRef: string | undefined,
  date: string | undefined,
  fields: CandidateComment['fields'],
  metadata: Record<string, string>,
): CandidateComment {
  const out: CandidateComment = { rowNumber, part, text, fields, metadata };
  if (question !== undefined) out.question = question;
  if (externalRef !== undefined) out.externalRef = externalRef;
  if (date !== undefined) out.date = date;
  return out;
}

function planFor(mapping: ColumnMapping): Plan {
  let plan = plans.get(mapping);
  if (plan) return plan;
  const one = (field: CanonicalField) => mapping.columns[field]?.[0];
  const consumed = new Set<string>(mapping.questionColumns);
  const fields: [FieldsOf, string[]][] = [];
  for (const [field, headers] of Object.entries(mapping.columns) as [CanonicalField, string[]][]) {
    for (const h of headers) consumed.add(h);
    if (!NOT_FIELDS.has(field) && headers.length > 0) fields.push([field as FieldsOf, headers]);
  }
  plan = {
    fields,
    text: one('text'),
    question: one('question'),
    externalRef: one('externalRef'),
    date: one('date'),
    consumed,
  };
  plans.set(mapping, plan);
  return plan;
}

/** Control characters (bar tab and newline), zero-width spaces and stray byte-order marks. */
// eslint-disable-next-line no-control-regex
const INVISIBLE_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b\ufeff]/g;

/** Comment text as people typed it: consistent line endings, no control characters, trimmed. */
export function cleanText(value: RawValue | undefined): string {
  const s = asText(value);
  if (s === undefined) return '';
  const cleaned = s.replace(/\r\n?/g, '\n').replace(INVISIBLE_CHARACTERS, '');
  return cleaned.normalize('NFC').trim();
}

/** Cell value as a trimmed string; blank becomes undefined. */
export function asText(value: RawValue | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  let s: string;
  if (typeof value === 'string') s = value.trim();
  else if (typeof value === 'number') s = Number.isFinite(value) ? String(value) : '';
  else if (typeof value === 'boolean') s = value ? 'yes' : 'no';
  else if (Number.isNaN(value.getTime())) s = '';
  else {
    const iso = value.toISOString();
    s = iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  return s === '' ? undefined : s;
}

function joinValues(values: Record<string, RawValue>, headers: string[]): string | undefined {
  const parts: string[] = [];
  for (const h of headers) {
    const v = asText(values[h]);
    if (v !== undefined) parts.push(v);
  }
  return parts.length > 0 ? parts.join(' / ') : undefined;
}

/** 03/04/2024: both parts could be the month. 13/04/2024 and 04/04/2024 are not ambiguous. */
export function isAmbiguousNumericDate(raw: string): boolean {
  const m = /^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?:\D|$)/.exec(raw);
  if (!m) return false;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return a !== b && a >= 1 && a <= 12 && b >= 1 && b <= 12;
}
