import { IngestionError } from '../ingestion.error';
import type { SourceFormat } from './adapter.types';

const EXTENSIONS: Record<string, SourceFormat> = {
  csv: 'csv',
  tsv: 'csv',
  tab: 'csv',
  txt: 'csv',
  xlsx: 'xlsx',
  xlsm: 'xlsx',
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
};

const UNSUPPORTED_EXTENSIONS: Record<string, string> = {
  xls: 'Legacy Excel 97-2003 (.xls) files are not supported: open it in Excel and save it as .xlsx.',
  ods: 'OpenDocument spreadsheets (.ods) are not supported: save it as .xlsx or CSV.',
  numbers: 'Apple Numbers files are not supported: export it as .xlsx or CSV.',
  pdf: 'PDF files are not supported: upload the underlying spreadsheet or a CSV export.',
  docx: 'Word documents are not supported: put the comments in a spreadsheet or CSV.',
  doc: 'Word documents are not supported: put the comments in a spreadsheet or CSV.',
};

/**
 * Content beats the file name: partners rename files, and a spreadsheet saved as `.csv` is common.
 * The name decides only between text formats, where the bytes alone can be ambiguous.
 */
export function detectFormat(fileName: string | undefined, head: Buffer): SourceFormat {
  if (head.length === 0) throw new IngestionError('empty_file', 'The file is empty.');
  const ext = extensionOf(fileName);
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    if (ext && UNSUPPORTED_EXTENSIONS[ext] && ext !== 'xls') {
      throw new IngestionError('unsupported_format', UNSUPPORTED_EXTENSIONS[ext]);
    }
    return 'xlsx';
  }
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    throw new IngestionError('unsupported_format', UNSUPPORTED_EXTENSIONS.xls);
  }
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) {
    throw new IngestionError('unsupported_format', UNSUPPORTED_EXTENSIONS.pdf);
  }
  if (ext && UNSUPPORTED_EXTENSIONS[ext]) {
    throw new IngestionError('unsupported_format', UNSUPPORTED_EXTENSIONS[ext]);
  }
  const byName = ext ? EXTENSIONS[ext] : undefined;
  if (byName === 'xlsx') {
    throw new IngestionError(
      'unreadable_file',
      'The file is named .xlsx but is not an Excel workbook (it may be damaged).',
    );
  }
  const sniffed = sniffJson(head);
  if (byName === 'ndjson')
    return sniffed === 'json' && /^\s*\[/.test(stripBom(head.toString('utf8', 0, 1024)))
      ? 'json'
      : 'ndjson';
  if (byName === 'json') return sniffed ?? 'json';
  if (byName === 'csv') return 'csv';
  if (sniffed) return sniffed;
  if (ext && !byName) {
    throw new IngestionError(
      'unsupported_format',
      `Files of type .${ext} are not supported: upload CSV, Excel (.xlsx), JSON or NDJSON.`,
    );
  }
  return 'csv';
}

/** `[` means an array; an object followed by another object on a later line means NDJSON. */
function sniffJson(head: Buffer): SourceFormat | undefined {
  const text = stripBom(head.subarray(0, 64 * 1024).toString('utf8'));
  const first = text.search(/\S/);
  if (first < 0) return undefined;
  if (text[first] === '[') return 'json';
  if (text[first] !== '{') return undefined;
  const lines = text
    .slice(first)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length >= 2 && lines[0].endsWith('}') && lines[1].startsWith('{')) {
    try {
      JSON.parse(lines[0]);
      return 'ndjson';
    } catch {
      return 'json';
    }
  }
  if (lines.length === 1) {
    try {
      JSON.parse(lines[0]);
      return /"(records|data)"\s*:\s*\[/i.test(lines[0]) ? 'json' : 'ndjson';
    } catch {
      return 'json';
    }
  }
  return 'json';
}

function extensionOf(fileName: string | undefined): string | undefined {
  if (!fileName) return undefined;
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : undefined;
}

function startsWith(head: Buffer, bytes: number[]): boolean {
  return head.length >= bytes.length && bytes.every((b, i) => head[i] === b);
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
