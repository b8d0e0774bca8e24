import {
  FIELD_SPECS,
  type ExportRow,
  type InsightField,
  type InsightFieldSpec,
} from '../insights/insight-fields';

export type { ExportRow } from '../insights/insight-fields';

export const EXPORT_FORMATS = ['csv', 'xlsx', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export type Cell = string | number | null;

export interface ExportLookups {
  themeName(code: string): string | undefined;
  districtName(code: string): string | undefined;
}

interface ExportColumn {
  header: string;
  value: (row: ExportRow, lookups: ExportLookups) => Cell;
}

const list = (values: readonly string[]): string => values.join('; ');

type ExportSpec = NonNullable<InsightFieldSpec['export']>;

function exportValue(field: InsightField, spec: ExportSpec): ExportColumn['value'] {
  switch (spec.format) {
    case 'list':
      return (r) => list(r[field as keyof ExportRow] as string[]);
    case 'themeNames':
      return (r, l) => list(r.themeCodes.map((c) => l.themeName(c) ?? c));
    case 'districtName':
      return (r, l) => (r.ladCode === null ? null : (l.districtName(r.ladCode) ?? null));
    case undefined:
      return (r) => r[field as keyof ExportRow] as Cell;
  }
}

/**
 * The export columns in order, from the catalogue's column positions: part of the API, so a
 * column is only ever added at the end and spreadsheets and scripts built on an export keep working.
 */
const COLUMNS: ReadonlyArray<ExportColumn & { rowLevel: boolean }> = FIELD_SPECS.flatMap(
  ([field, spec]) => (spec.export ? [{ field, spec: spec.export }] : []),
)
  .sort((a, b) => a.spec.position - b.spec.position)
  .map(({ field, spec }) => ({
    header: spec.header,
    value: exportValue(field, spec),
    rowLevel: spec.rowLevel ?? false,
  }));

/** Fields an export reads from PostgreSQL: every column but those that name another's codes. */
export const EXPORT_READ_FIELDS = FIELD_SPECS.filter(
  ([, spec]) =>
    spec.export !== undefined &&
    spec.export.format !== 'themeNames' &&
    spec.export.format !== 'districtName',
).map(([field]) => field);

/** Population groups are exported only for roles allowed row-level demographic access. */
export function exportColumns(rowLevelDemographics: boolean): readonly ExportColumn[] {
  return COLUMNS.filter((c) => rowLevelDemographics || !c.rowLevel);
}

export function exportHeaders(columns: readonly ExportColumn[]): string[] {
  return columns.map((c) => c.header);
}

export function exportValues(
  row: ExportRow,
  columns: readonly ExportColumn[],
  lookups: ExportLookups,
): Cell[] {
  return columns.map((c) => c.value(row, lookups));
}

/**
 * A spreadsheet opening a cell that starts with = + - @ (or a tab or carriage return, which some
 * programs strip before reading the rest) runs it as a formula, so comment text could run code
 * on an analyst's machine. Their full-width and small forms (＝ ＋ － ＠, ﹦ ﹢ ﹣ ﹫) count too:
 * spreadsheets with East Asian input read them as the ASCII ones. NFKC folds each to its ASCII
 * form. A leading apostrophe makes the cell plain text.
 */
export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value.slice(0, 1).normalize('NFKC')) ? `'${value}` : value;
}

/** Cells as spreadsheets should see them: numbers stay numbers, text is neutralised. */
export function spreadsheetCell(value: Cell): string | number | null {
  return typeof value === 'string' ? neutraliseCell(value) : value;
}

/** One RFC 4180 line (CRLF), with every text cell neutralised. */
export function csvLine(values: readonly Cell[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = neutraliseCell(value);
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A JSON object keyed by the column headers; JSON consumers need no neutralising. */
export function jsonRecord(headers: readonly string[], values: readonly Cell[]): string {
  const record: Record<string, Cell> = {};
  headers.forEach((h, i) => (record[h] = values[i]));
  return JSON.stringify(record);
}
