import { IngestionError } from '../ingestion.error';
import { flattenBatches } from './batches.util';
import { MAX_COLUMNS, type RawRecord, type RawValue, type ReadOptions } from './adapter.types';
import {
  assertLooksLikeText,
  createTextStream,
  decodeHead,
  detectEncoding,
  readHead,
} from './text-decoding.util';

/** Keys under which exports commonly wrap their array of records. */
const WRAPPER_KEYS = new Set(['records', 'data']);
/** One record never needs this much text; a missing closing brace would otherwise buffer the whole file. */
const MAX_RECORD_CHARS = 5_000_000;

type Mode =
  'start' | 'wrapper' | 'firstElement' | 'beforeElement' | 'element' | 'afterElement' | 'trailing';

/** Streams the records of a top-level JSON array (or `{ "records": [...] }` / `{ "data": [...] }`). */
export function readJson(filePath: string, opts: ReadOptions = {}): AsyncGenerator<RawRecord> {
  return flattenBatches(readJsonBatches(filePath, opts));
}

export async function* readJsonBatches(
  filePath: string,
  opts: ReadOptions = {},
): AsyncGenerator<RawRecord[]> {
  const source = await openText(filePath, opts, 'JSON');
  const scanner = new JsonRecordScanner();
  try {
    for await (const chunk of source as AsyncIterable<string>) {
      const records = scanner.push(chunk);
      if (records.length > 0) yield records;
      scanner.throwIfFailed();
    }
  } catch (err) {
    throw asIngestionError(err, 'JSON');
  } finally {
    source.destroy();
  }
  scanner.end();
}

/** Streams newline-delimited JSON: one object per line, blank lines skipped but counted. */
export function readNdjson(filePath: string, opts: ReadOptions = {}): AsyncGenerator<RawRecord> {
  return flattenBatches(readNdjsonBatches(filePath, opts));
}

export async function* readNdjsonBatches(
  filePath: string,
  opts: ReadOptions = {},
): AsyncGenerator<RawRecord[]> {
  const source = await openText(filePath, opts, 'NDJSON');
  let carry = '';
  let lineNumber = 0;
  try {
    for await (const chunk of source as AsyncIterable<string>) {
      const text = carry + chunk;
      const records: RawRecord[] = [];
      let start = 0;
      let newline = text.indexOf('\n', start);
      let failure: IngestionError | undefined;
      while (newline >= 0) {
        lineNumber++;
        try {
          const record = parseLine(text.slice(start, newline), lineNumber);
          if (record) records.push(record);
        } catch (err) {
          failure = asIngestionError(err, 'NDJSON');
          break;
        }
        start = newline + 1;
        newline = text.indexOf('\n', start);
      }
      if (records.length > 0) yield records;
      if (failure) throw failure;
      carry = text.slice(start);
      if (carry.length > MAX_RECORD_CHARS) {
        throw new IngestionError(
          'syntax_error',
          `Line ${lineNumber + 1} is longer than ${MAX_RECORD_CHARS} characters.`,
          lineNumber + 1,
        );
      }
    }
  } catch (err) {
    throw asIngestionError(err, 'NDJSON');
  } finally {
    source.destroy();
  }
  const last = parseLine(carry, lineNumber + 1);
  if (last) yield [last];
}

function parseLine(line: string, lineNumber: number): RawRecord | undefined {
  const trimmed = line.trim();
  if (trimmed === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw new IngestionError('syntax_error', `Line ${lineNumber} is not valid JSON.`, lineNumber);
  }
  return { rowNumber: lineNumber, values: recordValues(parsed, lineNumber) };
}

async function openText(filePath: string, opts: ReadOptions, label: string) {
  const head = await readHead(filePath);
  const encoding = detectEncoding(head, opts.encoding);
  const headText = decodeHead(head, encoding);
  if (headText.trim() === '') throw new IngestionError('empty_file', `The ${label} file is empty.`);
  assertLooksLikeText(headText, label);
  return createTextStream(filePath, encoding);
}

/**
 * A character-level scanner that cuts one record's text at a time out of the stream and hands
 * it to JSON.parse, so memory holds one record, never the whole array.
 */
export class JsonRecordScanner {
  private buf = '';
  private pos = 0;
  private mode: Mode = 'start';
  private recordNumber = 0;
  private elementStart = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private wrapperKey = '';
  private currentKey = '';
  private failure: IngestionError | undefined;

  /**
   * Returns the complete records in this chunk. A syntax error is held back until the records
   * before it have been handed over; `throwIfFailed` (or the next call) raises it.
   */
  push(chunk: string): RawRecord[] {
    this.throwIfFailed();
    const out: RawRecord[] = [];
    try {
      this.scan(chunk, out);
    } catch (err) {
      if (!(err instanceof IngestionError)) throw err;
      this.failure = err;
    }
    return out;
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  private scan(chunk: string, out: RawRecord[]): void {
    this.buf += chunk;
    const buf = this.buf;
    let i = this.pos;
    const n = buf.length;
    while (i < n) {
      const c = buf.charCodeAt(i);
      switch (this.mode) {
        case 'start':
          if (!isSpace(c)) {
            if (c === 0x5b) this.mode = 'firstElement';
            else if (c === 0x7b) {
              this.mode = 'wrapper';
              this.depth = 1;
            } else throw this.syntax('The file does not start with a JSON array or object.', false);
          }
          i++;
          break;
        case 'wrapper':
          i = this.scanWrapper(buf, i);
          break;
        case 'firstElement':
        case 'beforeElement':
          if (!isSpace(c)) {
            if (c === 0x7b) {
              this.mode = 'element';
              this.recordNumber++;
              this.elementStart = i;
              this.depth = 0;
              continue;
            }
            if (c === 0x5d && this.mode === 'firstElement') this.mode = 'trailing';
            else throw this.syntax(`Record ${this.recordNumber + 1} is not a JSON object.`, true);
          }
          i++;
          break;
        case 'element':
          i = this.scanElement(buf, i, out);
          break;
        case 'afterElement':
          if (!isSpace(c)) {
            if (c === 0x2c) this.mode = 'beforeElement';
            else if (c === 0x5d) this.mode = 'trailing';
            else throw this.syntax(`Expected "," or "]" after record ${this.recordNumber}.`, true);
          }
          i++;
          break;
        case 'trailing':
          // Whatever follows the records array (other wrapper keys, closing brace) is not ours to judge.
          i = n;
          break;
      }
    }
    if (this.mode === 'element') {
      if (i - this.elementStart > MAX_RECORD_CHARS) {
        throw this.syntax(
          `Record ${this.recordNumber} is longer than ${MAX_RECORD_CHARS} characters.`,
          false,
        );
      }
      this.buf = buf.slice(this.elementStart);
      this.pos = i - this.elementStart;
      this.elementStart = 0;
    } else {
      this.buf = '';
      this.pos = 0;
    }
  }

  end(): void {
    this.throwIfFailed();
    switch (this.mode) {
      case 'trailing':
        return;
      case 'start':
        throw new IngestionError('empty_file', 'The JSON file is empty.');
      case 'wrapper':
        throw new IngestionError(
          'unsupported_format',
          'The JSON object has no "records" or "data" array of records.',
        );
      case 'element':
        throw this.syntax(`The file ends in the middle of record ${this.recordNumber}.`, false);
      case 'firstElement':
      case 'beforeElement':
      case 'afterElement':
        throw this.syntax(
          `The file ends before the records array is closed (after record ${this.recordNumber}).`,
          true,
        );
    }
  }

  private scanElement(buf: string, from: number, out: RawRecord[]): number {
    let i = from;
    const n = buf.length;
    while (i < n) {
      const c = buf.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) this.inString = false;
      } else if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth === 0) {
          out.push(this.parseElement(buf.slice(this.elementStart, i + 1)));
          this.mode = 'afterElement';
          return i + 1;
        }
      }
      i++;
    }
    return i;
  }

  private parseElement(text: string): RawRecord {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw this.syntax(`Record ${this.recordNumber} is not valid JSON.`, false);
    }
    return { rowNumber: this.recordNumber, values: recordValues(parsed, this.recordNumber) };
  }

  /** Inside the top-level object: find the "records"/"data" key whose value is the array. */
  private scanWrapper(buf: string, from: number): number {
    let i = from;
    const n = buf.length;
    while (i < n) {
      const c = buf.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) this.inString = false;
        else if (this.depth === 1 && this.wrapperKey.length < 64) this.wrapperKey += buf[i];
      } else if (c === 0x22) {
        this.inString = true;
        if (this.depth === 1) this.wrapperKey = '';
      } else if (c === 0x3a && this.depth === 1) {
        this.currentKey = this.wrapperKey;
      } else if (
        c === 0x5b &&
        this.depth === 1 &&
        WRAPPER_KEYS.has(this.currentKey.toLowerCase())
      ) {
        this.mode = 'firstElement';
        this.depth = 0;
        return i + 1;
      } else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth === 0) {
          throw new IngestionError(
            'unsupported_format',
            'The JSON object has no "records" or "data" array of records.',
          );
        }
      }
      i++;
    }
    return i;
  }

  private syntax(message: string, nextRecord: boolean): IngestionError {
    const rowNumber = nextRecord ? this.recordNumber + 1 : this.recordNumber || undefined;
    return new IngestionError('syntax_error', message, rowNumber);
  }
}

/** Nested objects become dotted keys so every value is a flat cell, as from a spreadsheet. */
export function recordValues(parsed: unknown, rowNumber: number): Record<string, RawValue> {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new IngestionError(
      'syntax_error',
      `Record ${rowNumber} is not a JSON object.`,
      rowNumber,
    );
  }
  const out: Record<string, RawValue> = {};
  flatten(parsed as Record<string, unknown>, '', out);
  const columns = Object.keys(out).length;
  if (columns > MAX_COLUMNS) {
    throw new IngestionError(
      'too_many_columns',
      `Record ${rowNumber} has ${columns} fields; the limit is ${MAX_COLUMNS}.`,
      rowNumber,
    );
  }
  return out;
}

function flatten(
  obj: Record<string, unknown>,
  prefix: string,
  out: Record<string, RawValue>,
): void {
  for (const rawKey of Object.keys(obj)) {
    const key = prefix ? `${prefix}.${rawKey.trim()}` : rawKey.trim();
    const value = obj[rawKey];
    if (Array.isArray(value)) {
      if (value.every((item) => item === null || typeof item !== 'object')) {
        const joined = value
          .filter((item) => item !== null && item !== '')
          .map(String)
          .join('; ');
        out[key] = joined === '' ? null : joined;
      } else {
        value.forEach((item, index) => {
          if (item !== null && typeof item === 'object')
            flatten(item as Record<string, unknown>, `${key}.${index}`, out);
          else out[`${key}.${index}`] = primitive(item);
        });
      }
    } else if (value !== null && typeof value === 'object') {
      flatten(value as Record<string, unknown>, key, out);
    } else {
      out[key] = primitive(value);
    }
  }
}

function primitive(value: unknown): RawValue {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return null;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff;
}

function asIngestionError(err: unknown, label: string): IngestionError {
  if (err instanceof IngestionError) return err;
  return new IngestionError('unreadable_file', `The ${label} file could not be read.`);
}
