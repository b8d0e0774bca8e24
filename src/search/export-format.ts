/** One insight as an export reads it from PostgreSQL. */
export interface ExportRow {
  id: string;
  date: string | null;
  text: string;
  question: string | null;
  themeCodes: string[];
  sentiment: string | null;
  sentimentScore: number | null;
  sourceType: string;
  organisationId: string;
  batchId: string;
  hcpArea: string | null;
  ladCode: string | null;
  postcodeDistrict: string | null;
  language: string;
  sharingLevel: string;
  ageBand: string;
  sex: string;
  genderIdentity: string;
  ethnicityGroup: string;
  disability: string;
  carer: string;
  sexualOrientation: string;
  religion: string;
  organisationName: string | null;
  /** The batch's stored title (partner text, de-identified when it was written). */
  batchTitle: string | null;
}

export const EXPORT_FORMATS = ['csv', 'xlsx', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export type Cell = string | number | null;

export interface ExportLookups {
  themeName(code: string): string | undefined;
  districtName(code: string): string | undefined;
}

interface ExportColumn {
  header: string;
  value(row: ExportRow, lookups: ExportLookups): Cell;
}

const list = (values: readonly string[]): string => values.join('; ');

/**
 * The export columns, in order. The list is part of the API: add columns at the end, never rename
 * or reorder, so spreadsheets and scripts built on an export keep working.
 */
export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'date', value: (r) => r.date },
  { header: 'text', value: (r) => r.text },
  { header: 'question', value: (r) => r.question },
  { header: 'theme_codes', value: (r) => list(r.themeCodes) },
  {
    header: 'theme_names',
    value: (r, l) => list(r.themeCodes.map((c) => l.themeName(c) ?? c)),
  },
  { header: 'sentiment', value: (r) => r.sentiment },
  { header: 'sentiment_score', value: (r) => r.sentimentScore },
  { header: 'source_type', value: (r) => r.sourceType },
  { header: 'organisation_id', value: (r) => r.organisationId },
  { header: 'batch_id', value: (r) => r.batchId },
  { header: 'hcp_area', value: (r) => r.hcpArea },
  { header: 'district_code', value: (r) => r.ladCode },
  {
    header: 'district_name',
    value: (r, l) => (r.ladCode === null ? null : (l.districtName(r.ladCode) ?? null)),
  },
  { header: 'postcode_district', value: (r) => r.postcodeDistrict },
  { header: 'language', value: (r) => r.language },
  { header: 'sharing_level', value: (r) => r.sharingLevel },
];

/** Added after the others only for roles allowed row-level demographic access. */
export const DEMOGRAPHIC_EXPORT_COLUMNS: readonly ExportColumn[] = [
  { header: 'age_band', value: (r) => r.ageBand },
  { header: 'sex', value: (r) => r.sex },
  { header: 'gender_identity', value: (r) => r.genderIdentity },
  { header: 'ethnicity_group', value: (r) => r.ethnicityGroup },
  { header: 'disability', value: (r) => r.disability },
  { header: 'carer', value: (r) => r.carer },
  { header: 'sexual_orientation', value: (r) => r.sexualOrientation },
  { header: 'religion', value: (r) => r.religion },
];

/**
 * Added later, after every other column (the demographic ones included), so that no column of an
 * existing export moves: the ids say which organisation and batch, these say it in words.
 */
export const NAME_EXPORT_COLUMNS: readonly ExportColumn[] = [
  { header: 'organisation_name', value: (r) => r.organisationName },
  { header: 'batch_title', value: (r) => r.batchTitle },
];

export function exportColumns(rowLevelDemographics: boolean): readonly ExportColumn[] {
  return [
    ...EXPORT_COLUMNS,
    ...(rowLevelDemographics ? DEMOGRAPHIC_EXPORT_COLUMNS : []),
    ...NAME_EXPORT_COLUMNS,
  ];
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
