import type { CanonicalField } from '../profiles/profile.types';
import type { ColumnMapping } from './mapping.types';

/** What each field is, in words a partner recognises. */
export const FIELD_WORDS: Record<CanonicalField, string> = {
  text: 'Comment',
  question: 'Question asked',
  externalRef: 'Reference (row id)',
  date: 'Date',
  postcode: 'Postcode',
  postcodeDistrict: 'Postcode district',
  district: 'Local authority district',
  practiceCode: 'GP practice code',
  service: 'Service',
  location: 'Location',
  age: 'Age',
  sex: 'Sex',
  gender: 'Gender identity',
  ethnicity: 'Ethnic group',
  disability: 'Disability',
  carer: 'Carer',
  sexuality: 'Sexual orientation',
  religion: 'Religion',
  rating: 'Rating',
  deprivationDecile: 'Deprivation decile',
  group: 'Group',
};

/**
 * Fields whose absence changes what the bank can do with the file, and why it matters; said
 * when no column was found for them, so nobody has to guess from the results.
 */
export const MISSING_FIELD_EFFECT: Partial<Record<CanonicalField, string>> = {
  externalRef:
    'no reference column: a corrected file uploaded again cannot replace these comments, and repeats are found by their text only',
  date: 'no date column: the comments have no date and are left out of trends',
  postcode: 'no postcode column: comments are placed only from a district column, if any',
};

/** Header names longer than this are shortened: a data row read as a header is not echoed. */
const MAX_HEADER = 80;

/** How the file's columns were read, as stored with the batch and shown to the uploader. */
export interface MappingSummary {
  /** Each column used, in file order, with the field it fills. */
  mapped: Array<{ column: string; field: CanonicalField }>;
  /** Columns not used for any field (kept with each comment as extra details). */
  unmapped: string[];
  /** Key fields (see MISSING_FIELD_EFFECT) no column was found for. */
  missing: CanonicalField[];
}

function shorten(header: string): string {
  return header.length > MAX_HEADER ? `${header.slice(0, MAX_HEADER - 1)}…` : header;
}

/**
 * `clean` is applied to each column name before it is shortened: a file without a header row
 * has a comment for its header, so the caller passes its de-identification before storing.
 */
export function mappingSummary(
  mapping: ColumnMapping,
  headers?: readonly string[],
  clean: (header: string) => string = (h) => h,
): MappingSummary {
  const shown = (h: string): string => shorten(clean(h));
  const fieldOf = new Map<string, CanonicalField>();
  for (const [field, columns] of Object.entries(mapping.columns) as Array<
    [CanonicalField, string[] | undefined]
  >)
    for (const c of columns ?? []) fieldOf.set(c, field);
  for (const c of mapping.questionColumns) fieldOf.set(c, 'text');
  const order = headers ?? [...fieldOf.keys(), ...mapping.unmapped];
  const mapped = order
    .filter((h) => fieldOf.has(h))
    .map((h) => ({ column: shown(h), field: fieldOf.get(h)! }));
  const has = (f: CanonicalField) =>
    mapped.some((m) => m.field === f) ||
    (f === 'postcode' && mapped.some((m) => m.field === 'postcodeDistrict'));
  return {
    mapped,
    unmapped: mapping.unmapped.map(shown),
    missing: (Object.keys(MISSING_FIELD_EFFECT) as CanonicalField[]).filter((f) => !has(f)),
  };
}

/** The summary as lines of plain text (the command line prints these). */
export function mappingLines(summary: MappingSummary): string[] {
  const lines = ['Columns read:'];
  for (const m of summary.mapped) lines.push(`  "${m.column}" -> ${FIELD_WORDS[m.field]}`);
  lines.push(
    summary.unmapped.length
      ? `Columns not used (kept as extra details): ${summary.unmapped.map((c) => `"${c}"`).join(', ')}`
      : 'Columns not used: none',
  );
  for (const f of summary.missing) lines.push(`Not found: ${MISSING_FIELD_EFFECT[f]}`);
  return lines;
}
