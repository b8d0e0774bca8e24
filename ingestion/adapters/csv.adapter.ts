import { parse, type CsvError } from 'csv-parse';
import { IngestionError } from '../ingestion.error';
import { MAX_COLUMNS, type RawRecord, type RawValue, type ReadOptions } from './adapter.types';
import { flattenBatches, readableBatches } from './batches.util';
import { CellLimiter } from './cell-limiter.util';
import { extraColumnName, makeHeaderNames } from './header-names.util';
import {
  assertLooksLikeText,
  createTextStream,
  decodeHead,
  detectEncoding,
  HEAD_BYTES,
  readHead,
} from './text-decoding.util';

const DELIMITER_CANDIDATES = [',', ';', '\t', '|'] as const;
const SNIFF_RECORDS = 30;
/**
 * No record of a feedback export is this long. Each cell is cut at MAX_CELL_CHARS before parsing
 * (its row is then rejected), so this bounds a record of many long cells.
 */
const MAX_RECORD_CHARS = 4_000_000;

export function readCsv(filePath: string, opts: ReadOptions = {}): AsyncGenerator<RawRecord> {
  return flattenBatches(readCsvBatches(filePath, opts));
}

export async function* readCsvBatches(
  filePath: string,
  opts: ReadOptions = {},
): AsyncGenerator<RawRecord[]> {
  const head = await readHead(filePath);
  const encoding = detectEncoding(head, opts.encoding);
  const headText = decodeHead(head, encoding);
  if (headText.trim() === '') {
    throw new IngestionError('empty_file', 'The CSV file is empty.');
  }
  assertLooksLikeText(headText, 'CSV');
  // Excel writes and honours a "sep=;" first line naming the delimiter.
  const sepLine = /^sep=(.)\r?\n/i.exec(headText);
  const delimiter =
    opts.delimiter ?? sepLine?.[1] ?? sniffDelimiter(headText, head.length < HEAD_BYTES);
  let skipFirstRecord = sepLine !== null;

  const source = createTextStream(filePath, encoding, true);
  const parser = parse({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    bom: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  const limiter = CellLimiter.for(delimiter);
  if (limiter) {
    source.on('error', (err) => limiter.destroy(err));
    limiter.on('error', (err) => parser.destroy(err));
    source.pipe(limiter).pipe(parser);
  } else {
    source.on('error', (err) => parser.destroy(err));
    source.pipe(parser);
  }

  let line = 0;
  let headers: string[] | undefined;
  try {
    for await (const batch of readableBatches<string[]>(parser)) {
      const records: RawRecord[] = [];
      let failure: IngestionError | undefined;
      for (const cells of batch) {
        const rowNumber = line + 1;
        line += 1 + countLineBreaks(cells);
        // Every record, the skipped ones too, so the limiter's queue stays in step.
        const cut = limiter ? cutCells(cells, limiter) : undefined;
        if (cells.length > MAX_COLUMNS) {
          failure = new IngestionError(
            'too_many_columns',
            `Row ${rowNumber} has ${cells.length} cells; the limit is ${MAX_COLUMNS}.`,
            rowNumber,
          );
          break;
        }
        if (skipFirstRecord) {
          skipFirstRecord = false;
          continue;
        }
        if (isBlank(cells)) continue;
        if (!headers) {
          if (cells[0]?.charCodeAt(0) === 0xfeff) cells[0] = cells[0].slice(1);
          headers = makeHeaderNames(cells);
          opts.onHeaders?.(headers);
          continue;
        }
        const record: RawRecord = { rowNumber, values: toValues(cells, headers) };
        if (cut) record.oversized = oversizedByColumn(cut, headers);
        records.push(record);
      }
      // Records before a failing row are handed over first; the caller decides whether to keep them.
      if (records.length > 0) yield records;
      if (failure) throw failure;
    }
  } catch (err) {
    throw toIngestionError(err, line + 1);
  } finally {
    source.destroy();
    limiter?.destroy();
    parser.destroy();
  }
  if (!headers) throw new IngestionError('empty_file', 'The CSV file has no rows.');
}

/**
 * Picks the delimiter whose count per record is most consistent over the first records, counting
 * only outside quotes so commas inside comments do not vote.
 */
export function sniffDelimiter(text: string, complete: boolean): string {
  const perRecord: number[][] = [];
  let counts = DELIMITER_CANDIDATES.map(() => 0);
  let inQuotes = false;
  let nonBlank = false;
  for (let i = 0; i < text.length && perRecord.length < SNIFF_RECORDS; i++) {
    const ch = text[i];
    if (ch === '"') {
      inQuotes = !inQuotes;
      nonBlank = true;
    } else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (nonBlank) perRecord.push(counts);
      counts = DELIMITER_CANDIDATES.map(() => 0);
      nonBlank = false;
    } else if (!inQuotes) {
      const k = DELIMITER_CANDIDATES.indexOf(ch as (typeof DELIMITER_CANDIDATES)[number]);
      if (k >= 0) counts[k]++;
      if (ch !== ' ') nonBlank = true;
    }
  }
  // The last record of a truncated sample is partial, so it only counts if the file ended there.
  if (complete && nonBlank && perRecord.length < SNIFF_RECORDS) perRecord.push(counts);
  if (perRecord.length === 0) return ',';

  let best: { delimiter: string; consistency: number; mode: number } = {
    delimiter: ',',
    consistency: 0,
    mode: 0,
  };
  DELIMITER_CANDIDATES.forEach((delimiter, k) => {
    const frequency = new Map<number, number>();
    for (const record of perRecord) frequency.set(record[k], (frequency.get(record[k]) ?? 0) + 1);
    let mode = 0;
    let modeCount = 0;
    for (const [count, times] of frequency) {
      if (count > 0 && (times > modeCount || (times === modeCount && count > mode))) {
        mode = count;
        modeCount = times;
      }
    }
    if (mode === 0) return;
    const consistency = modeCount / perRecord.length;
    if (consistency > best.consistency || (consistency === best.consistency && mode > best.mode)) {
      best = { delimiter, consistency, mode };
    }
  });
  return best.delimiter;
}

function toValues(cells: string[], headers: string[]): Record<string, RawValue> {
  const values: Record<string, RawValue> = {};
  for (let i = 0; i < headers.length; i++) {
    const cell = cells[i];
    values[headers[i]] = cell === undefined || cell === '' ? null : cell;
  }
  for (let i = headers.length; i < cells.length; i++) {
    if (cells[i].trim() !== '') values[extraColumnName(i, headers)] = cells[i];
  }
  return values;
}

/** Cells the limiter cut short: cell index -> full length in characters. */
function cutCells(cells: string[], limiter: CellLimiter): Map<number, number> | undefined {
  let cut: Map<number, number> | undefined;
  for (let i = 0; i < cells.length; i++) {
    const full = limiter.fullLength(cells[i]);
    if (full !== undefined && full > limiter.limit) (cut ??= new Map()).set(i, full);
  }
  return cut;
}

function oversizedByColumn(cut: Map<number, number>, headers: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [i, length] of cut)
    out[i < headers.length ? headers[i] : extraColumnName(i, headers)] = length;
  return out;
}

function isBlank(cells: string[]): boolean {
  for (const cell of cells) if (cell !== '' && cell.trim() !== '') return false;
  return true;
}

/** Line breaks inside quoted cells, counted the way an editor numbers lines (CRLF is one). */
function countLineBreaks(cells: string[]): number {
  let breaks = 0;
  for (const cell of cells) {
    if (cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) continue;
    for (let i = 0; i < cell.length; i++) {
      const c = cell.charCodeAt(i);
      if (c === 0x0a) breaks++;
      else if (c === 0x0d) {
        breaks++;
        if (cell.charCodeAt(i + 1) === 0x0a) i++;
      }
    }
  }
  return breaks;
}

function toIngestionError(err: unknown, rowNumber: number): IngestionError {
  if (err instanceof IngestionError) return err;
  const code = (err as Partial<CsvError> | undefined)?.code;
  if (code === undefined) {
    return new IngestionError('unreadable_file', 'The CSV file could not be read.', rowNumber);
  }
  if (code === 'CSV_QUOTE_NOT_CLOSED') {
    return new IngestionError(
      'syntax_error',
      `A quoted cell starting in the record at line ${rowNumber} is never closed.`,
      rowNumber,
    );
  }
  if (code === 'CSV_MAX_RECORD_SIZE') {
    return new IngestionError(
      'syntax_error',
      `The record at line ${rowNumber} is longer than ${MAX_RECORD_CHARS} characters (often an unbalanced quote).`,
      rowNumber,
    );
  }
  return new IngestionError(
    'syntax_error',
    `The CSV file is malformed near line ${rowNumber} (${code}).`,
    rowNumber,
  );
}
