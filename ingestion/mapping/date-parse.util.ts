import type { RawValue } from '../adapters/adapter.types';

export type DateParse =
  | { ok: true; iso: string }
  | { ok: false; reason: 'unrecognised' | 'impossible' | 'month_first_only' | 'out_of_range' };

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
/** Serial numbers outside 1970..2099 are counts or codes, not feedback dates. */
const MIN_SERIAL = 25569;
const MAX_SERIAL = 73050;
const MIN_YEAR = 1900;
const MAX_YEAR = 2100;
/** Two-digit years up to this are 20xx, as people writing feedback dates mean. */
const TWO_DIGIT_PIVOT = 69;

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

const TIME = String.raw`(?:[ T,]+\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?\s*(?:am|pm)?(?:Z|[+-]\d{2}:?\d{2})?)?`;
const ISO = new RegExp(String.raw`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})${TIME}$`, 'i');
const NUMERIC = new RegExp(String.raw`^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})${TIME}$`, 'i');
const DAY_MONTH_NAME = new RegExp(
  String.raw`^(\d{1,2})(?:st|nd|rd|th)?[\s\-/]+([a-z]+)\.?,?[\s\-/]+(\d{2}|\d{4})${TIME}$`,
  'i',
);
const MONTH_NAME_DAY = new RegExp(
  String.raw`^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})${TIME}$`,
  'i',
);
const WEEKDAY = /^(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+/i;

/**
 * Reads the dates partners send: ISO, dd/mm/yyyy, d/m/yy, dd-mm-yyyy, "3 March 2024",
 * "March 3, 2024", Excel serial numbers and Date cells. Numeric dates are day-first (UK) unless
 * the caller says the file is month-first; a value that only makes sense month-first is not
 * silently swapped.
 */
export function parseFeedbackDate(
  value: RawValue | undefined,
  order: 'dmy' | 'mdy' = 'dmy',
): DateParse {
  if (value === null || value === undefined) return { ok: false, reason: 'unrecognised' };
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return { ok: false, reason: 'impossible' };
    return fromParts(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
  }
  if (typeof value === 'number') return fromSerial(value);
  if (typeof value === 'boolean') return { ok: false, reason: 'unrecognised' };
  const text = value.trim().replace(WEEKDAY, '');
  if (/^\d{5}(\.\d+)?$/.test(text)) return fromSerial(Number(text));
  let m = ISO.exec(text);
  if (m) return fromParts(Number(m[1]), Number(m[2]), Number(m[3]));
  m = NUMERIC.exec(text);
  if (m) {
    const [a, b, y] = [Number(m[1]), Number(m[2]), year(m[3])];
    const first = order === 'dmy' ? fromParts(y, b, a) : fromParts(y, a, b);
    if (first.ok || order === 'mdy') return first;
    return fromParts(y, a, b).ok ? { ok: false, reason: 'month_first_only' } : first;
  }
  m = DAY_MONTH_NAME.exec(text);
  if (m) {
    const month = MONTHS[m[2].toLowerCase()];
    return month
      ? fromParts(year(m[3]), month, Number(m[1]))
      : { ok: false, reason: 'unrecognised' };
  }
  m = MONTH_NAME_DAY.exec(text);
  if (m) {
    const month = MONTHS[m[1].toLowerCase()];
    return month
      ? fromParts(Number(m[3]), month, Number(m[2]))
      : { ok: false, reason: 'unrecognised' };
  }
  return { ok: false, reason: 'unrecognised' };
}

function fromSerial(serial: number): DateParse {
  if (!Number.isFinite(serial) || serial < MIN_SERIAL || serial > MAX_SERIAL)
    return { ok: false, reason: 'out_of_range' };
  const d = new Date(EXCEL_EPOCH_MS + Math.floor(serial) * 86_400_000);
  return fromParts(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

function fromParts(y: number, month: number, day: number): DateParse {
  if (y < MIN_YEAR || y > MAX_YEAR) return { ok: false, reason: 'out_of_range' };
  if (month < 1 || month > 12 || day < 1) return { ok: false, reason: 'impossible' };
  const daysInMonth = new Date(Date.UTC(y, month, 0)).getUTCDate();
  if (day > daysInMonth) return { ok: false, reason: 'impossible' };
  return { ok: true, iso: `${String(y).padStart(4, '0')}-${pad(month)}-${pad(day)}` };
}

function year(text: string): number {
  const n = Number(text);
  if (text.length === 4) return n;
  return n <= TWO_DIGIT_PIVOT ? 2000 + n : 1900 + n;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
