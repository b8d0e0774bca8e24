import type { Readable } from 'node:stream';
import * as ExcelJS from 'exceljs';
import { IngestionError } from '../ingestion.error';
import {
  DEFAULT_MAX_UNCOMPRESSED_BYTES,
  MAX_COLUMNS,
  type RawRecord,
  type RawValue,
  type ReadOptions,
} from './adapter.types';
import { flattenBatches } from './batches.util';
import { extraColumnName, makeHeaderNames } from './header-names.util';
import { inspectWorkbook, type CellRange, type SheetInfo } from './xlsx-workbook.util';
import { assertNotZipBomb, openEntry, readZipDirectory } from './zip-archive.util';

/** Title and notes rows above the table are common; a header further down than this is not. */
const HEADER_SEARCH_ROWS = 20;
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

type SheetOutcome = 'read' | 'empty' | 'no_header';

interface StreamedRow {
  number: number;
  values: unknown;
  getCell(col: number): { numFmt?: string };
}

interface StreamedSheet {
  /** Rows arrive in batches per parsed chunk, cheaper than the reader's row-by-row iterator. */
  parse(): AsyncIterable<{ eventType: string; value: unknown }[]>;
}

export function readXlsx(filePath: string, opts: ReadOptions = {}): AsyncGenerator<RawRecord> {
  return flattenBatches(readXlsxBatches(filePath, opts));
}

export async function* readXlsxBatches(
  filePath: string,
  opts: ReadOptions = {},
): AsyncGenerator<RawRecord[]> {
  const entries = await readZipDirectory(filePath);
  assertNotZipBomb(entries, opts.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES);
  const sheets = await inspectWorkbook(filePath, entries);
  if (sheets.length === 0)
    throw new IngestionError('empty_file', 'The workbook has no worksheets.');
  const requested = opts.sheet === undefined ? undefined : findSheet(sheets, opts.sheet);
  const byName = new Map(entries.map((e) => [e.name, e]));

  let sawUnheadedData = false;
  let outcome: SheetOutcome = 'empty';
  let open: Readable | undefined;
  const part = async (name: string): Promise<Readable | undefined> => {
    const entry = byName.get(name);
    if (!entry) return undefined;
    open = await openEntry(filePath, entry);
    return open;
  };
  try {
    const workbook = await loadWorkbookParts(part);
    for (const sheet of requested ? [requested] : sheets) {
      const worksheet = workbook.worksheet(await part(sheet.path), sheet);
      outcome = yield* readSheet(worksheet, sheet, opts);
      open?.destroy();
      if (outcome === 'read' || requested) break;
      if (outcome === 'no_header') sawUnheadedData = true;
    }
  } catch (err) {
    if (err instanceof IngestionError) throw err;
    throw unreadableSpreadsheet(err);
  } finally {
    open?.destroy();
  }
  if (outcome === 'read') return;
  if (outcome === 'no_header' || sawUnheadedData) {
    throw new IngestionError(
      'no_header',
      `No header row found in the first ${HEADER_SEARCH_ROWS} rows: expected a row with at least two column names.`,
    );
  }
  throw new IngestionError(
    'empty_file',
    requested
      ? `The sheet "${requested.name}" is empty.`
      : 'The workbook has no data in any sheet.',
  );
}

/**
 * The parts of exceljs's streaming reader that parse one workbook part each. Its own zip loop is
 * not used: unzipper signals the end of the archive as soon as the input is consumed, while
 * entries can still wait in its paused output, so parts near the end (often xl/workbook.xml) were
 * skipped now and then under load. Opening each part from the zip directory, in the order the
 * worksheets depend on them, also spares the temp file it writes for every early worksheet.
 */
interface ExcelPartParsers {
  _parseWorkbook(stream: Readable): Promise<void>;
  _parseSharedStrings(stream: Readable): AsyncIterable<unknown>;
  _parseStyles(stream: Readable): Promise<void>;
  _parseWorksheet(stream: Readable, sheetNo: string): Iterable<{ value: StreamedSheet }>;
}

async function loadWorkbookParts(
  part: (name: string) => Promise<Readable | undefined>,
): Promise<{ worksheet(stream: Readable | undefined, sheet: SheetInfo): StreamedSheet }> {
  const parsers = new ExcelJS.stream.xlsx.WorkbookReader('', {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'ignore',
  }) as unknown as ExcelPartParsers;
  const workbookXml = await part('xl/workbook.xml');
  if (workbookXml) await parsers._parseWorkbook(workbookXml);
  const sharedStrings = await part('xl/sharedStrings.xml');
  if (sharedStrings) for await (const _ of parsers._parseSharedStrings(sharedStrings));
  const styles = await part('xl/styles.xml');
  if (styles) await parsers._parseStyles(styles);
  return {
    worksheet(stream, sheet) {
      if (!stream) throw new Error('worksheet part missing');
      for (const { value } of parsers._parseWorksheet(stream, String(sheet.index))) return value;
      throw new Error('worksheet not emitted');
    },
  };
}

/**
 * The underlying error's message can quote cell text, so only its class name is kept, enough to
 * tell a parser fault from a damaged file.
 */
function unreadableSpreadsheet(err: unknown): IngestionError {
  const error = new IngestionError(
    'unreadable_file',
    'The spreadsheet could not be read; it may be damaged.',
  );
  error.cause = {
    name: err instanceof Error ? err.constructor.name : typeof err,
  };
  return error;
}

async function* readSheet(
  worksheet: StreamedSheet,
  sheet: SheetInfo,
  opts: ReadOptions,
): AsyncGenerator<RawRecord[], SheetOutcome> {
  let pending = 0;
  let header: { row: number; firstCol: number; names: string[] } | undefined;
  const merges = new MergeFiller(sheet.merges);

  for await (const events of worksheet.parse()) {
    const records: RawRecord[] = [];
    let failure: IngestionError | undefined;
    let headerless = false;
    for (const { eventType, value } of events) {
      if (eventType !== 'row') continue;
      const row = value as StreamedRow;
      const cells = rowCells(row);
      if (cells.length - 1 > MAX_COLUMNS) {
        failure = new IngestionError(
          'too_many_columns',
          `Row ${row.number} has ${cells.length - 1} columns; the limit is ${MAX_COLUMNS}.`,
          row.number,
        );
        break;
      }
      if (!header) {
        if (isBlank(cells)) continue;
        pending++;
        if (looksLikeHeader(cells)) {
          const firstCol = cells.findIndex((c, i) => i > 0 && !isEmpty(c));
          const names = makeHeaderNames(cells.slice(firstCol, lastNonEmpty(cells) + 1));
          header = { row: row.number, firstCol, names };
          merges.startAfter(row.number);
          opts.onHeaders?.(names);
        } else if (pending >= HEADER_SEARCH_ROWS) {
          headerless = true;
          break;
        }
        continue;
      }
      merges.fill(row.number, cells);
      if (isBlank(cells)) continue;
      records.push({
        rowNumber: row.number,
        values: toValues(cells, header.firstCol, header.names),
      });
    }
    if (records.length > 0) yield records;
    if (failure) throw failure;
    if (headerless) return 'no_header';
  }
  if (header) return 'read';
  return pending > 0 ? 'no_header' : 'empty';
}

/** Cells indexed by 1-based column, as Excel numbers them; index 0 unused. */
function rowCells(row: StreamedRow): RawValue[] {
  const raw = row.values;
  if (!Array.isArray(raw)) return [null];
  const cells: RawValue[] = new Array<RawValue>(raw.length).fill(null);
  for (let col = 1; col < raw.length; col++) {
    const value: unknown = raw[col];
    if (value === null || value === undefined) continue;
    cells[col] = toRawValue(value, () => row.getCell(col).numFmt);
  }
  return cells;
}

export function toRawValue(value: unknown, numFmt: () => string | undefined): RawValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) {
      return (v.richText as { text?: unknown }[])
        .map((run) => (typeof run.text === 'string' ? run.text : ''))
        .join('');
    }
    if ('formula' in v || 'sharedFormula' in v) {
      const result = toRawValue(v.result, numFmt);
      if (typeof result === 'number' && isDateFormat(numFmt())) return excelSerialToDate(result);
      return result;
    }
    if ('hyperlink' in v || 'text' in v) return toRawValue(v.text, numFmt);
    if ('error' in v) return null;
  }
  return null;
}

export function excelSerialToDate(serial: number): Date {
  return new Date(EXCEL_EPOCH_MS + Math.round(serial * DAY_MS));
}

function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  const stripped = format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '');
  return /[ymdhs]/i.test(stripped) && !/^general$/i.test(stripped.trim());
}

function looksLikeHeader(cells: RawValue[]): boolean {
  let filled = 0;
  let strings = 0;
  for (let i = 1; i < cells.length; i++) {
    const c = cells[i];
    if (isEmpty(c)) continue;
    filled++;
    if (typeof c === 'string') strings++;
  }
  return filled >= 2 && strings / filled > 0.5;
}

function toValues(cells: RawValue[], firstCol: number, names: string[]): Record<string, RawValue> {
  const values: Record<string, RawValue> = {};
  for (let i = 0; i < names.length; i++) {
    const c = cells[firstCol + i];
    values[names[i]] = c === undefined || isEmpty(c) ? null : c;
  }
  for (let col = 1; col < cells.length; col++) {
    if (col >= firstCol && col < firstCol + names.length) continue;
    if (!isEmpty(cells[col])) values[extraColumnName(col - 1, names)] = cells[col];
  }
  return values;
}

function isEmpty(c: RawValue | undefined): boolean {
  return c === null || c === undefined || (typeof c === 'string' && c.trim() === '');
}

function isBlank(cells: RawValue[]): boolean {
  for (let i = 1; i < cells.length; i++) if (!isEmpty(cells[i])) return false;
  return true;
}

function lastNonEmpty(cells: RawValue[]): number {
  for (let i = cells.length - 1; i > 0; i--) if (!isEmpty(cells[i])) return i;
  return 0;
}

/**
 * Excel keeps a merged range's value in its top-left cell only; people reading the sheet see it
 * in every row of the range (e.g. a session name merged down a block of quotes).
 */
class MergeFiller {
  private next = 0;
  private active: { range: CellRange; value: RawValue }[] = [];
  private readonly ranges: CellRange[];

  constructor(ranges: CellRange[]) {
    this.ranges = ranges;
  }

  startAfter(headerRow: number): void {
    while (this.next < this.ranges.length && this.ranges[this.next].top <= headerRow) this.next++;
  }

  fill(rowNumber: number, cells: RawValue[]): void {
    if (this.active.length === 0 && this.next >= this.ranges.length) return;
    this.active = this.active.filter((m) => m.range.bottom >= rowNumber);
    while (this.next < this.ranges.length && this.ranges[this.next].top <= rowNumber) {
      const range = this.ranges[this.next++];
      if (range.bottom < rowNumber) continue;
      // A master row that was blank (and so never streamed) still owns an empty range.
      const value = range.top === rowNumber ? (cells[range.left] ?? null) : null;
      this.active.push({ range, value });
    }
    for (const { range, value } of this.active) {
      if (value === null) continue;
      for (let col = range.left; col <= range.right; col++) {
        while (cells.length <= col) cells.push(null);
        if (isEmpty(cells[col])) cells[col] = value;
      }
    }
  }
}

function findSheet(sheets: SheetInfo[], wanted: string | number): SheetInfo {
  const found =
    typeof wanted === 'number'
      ? sheets.find((s) => s.index === wanted)
      : sheets.find((s) => s.name.trim().toLowerCase() === wanted.trim().toLowerCase());
  if (!found) {
    throw new IngestionError(
      'no_header',
      `The workbook has no sheet ${typeof wanted === 'number' ? `number ${wanted}` : `named "${wanted}"`}; ` +
        `its sheets are: ${sheets.map((s) => `"${s.name}"`).join(', ')}.`,
    );
  }
  return found;
}
