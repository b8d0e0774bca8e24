/** A date as the NHS.UK date input sends it: three text boxes, `<name>[day]`, `[month]`, `[year]`. */
export interface DateParts {
  day: string;
  month: string;
  year: string;
}

const PARTS = ['day', 'month', 'year'] as const;

/**
 * The three parts of a date input. Multipart and URL-encoded bodies both nest `name[day]` into
 * `{ name: { day } }`; a flat `name[day]` key is read too.
 */
export function dateParts(body: unknown, name: string): DateParts {
  const source = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const nested = source[name];
  const read = (part: (typeof PARTS)[number]): string => {
    const v =
      typeof nested === 'object' && nested !== null
        ? (nested as Record<string, unknown>)[part]
        : source[`${name}[${part}]`];
    return typeof v === 'string' ? v.trim() : '';
  };
  return { day: read('day'), month: read('month'), year: read('year') };
}

/** The parts as the date input's `values`. */
export function datePartsOf(iso: string | undefined): DateParts {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  return m
    ? { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1] }
    : { day: '', month: '', year: '' };
}

/**
 * A date input read as `yyyy-mm-dd`: nothing when it was left empty, else the date or the
 * problem, worded as the NHS.UK design system words date errors ("… must include a month").
 */
export function readDate(parts: DateParts, label: string): { iso?: string; problem?: string } {
  const missing = PARTS.filter((p) => parts[p] === '');
  if (missing.length === 3) return {};
  if (missing.length) return { problem: `${label} must include a ${missing.join(' and ')}` };
  if (!PARTS.every((p) => /^\d+$/.test(parts[p])) || parts.year.length !== 4)
    return { problem: `${label} must be a real date` };
  const [d, m, y] = [Number(parts.day), Number(parts.month), Number(parts.year)];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return { problem: `${label} must be a real date` };
  return { iso: date.toISOString().slice(0, 10) };
}
