import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { analyse } from 'chardet';
import * as iconv from 'iconv-lite';
import { IngestionError } from '../ingestion.error';

export const HEAD_BYTES = 64 * 1024;

export interface TextEncodingInfo {
  /** iconv-lite name: utf-8, utf-16le, utf-16be, windows-1252, ... */
  encoding: string;
  /** Byte length of the byte-order mark to skip. */
  bomLength: number;
}

/** Western single-byte guesses are all read as Windows-1252: it is what Excel writes in the UK, and a superset of ISO-8859-1's printable range. */
const LATIN_FAMILY = new Set([
  'ISO-8859-1',
  'ISO-8859-2',
  'ISO-8859-9',
  'ISO-8859-15',
  'windows-1250',
  'windows-1252',
  'windows-1254',
]);

export async function readHead(filePath: string, bytes = HEAD_BYTES): Promise<Buffer> {
  let handle;
  try {
    handle = await open(filePath, 'r');
  } catch (err) {
    throw new IngestionError('unreadable_file', `The file cannot be opened (${errorCode(err)}).`);
  }
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export function detectEncoding(head: Buffer, override?: string): TextEncodingInfo {
  const bom = bomOf(head);
  if (override) {
    if (!iconv.encodingExists(override)) {
      throw new IngestionError('unsupported_format', `Unknown text encoding "${override}".`);
    }
    const normalised = normaliseEncodingName(override);
    return {
      encoding: normalised,
      bomLength: bom && bom.encoding === normalised ? bom.bomLength : 0,
    };
  }
  if (bom) return bom;
  const utf16 = sniffUtf16WithoutBom(head);
  if (utf16) return { encoding: utf16, bomLength: 0 };
  if (isValidUtf8(head)) return { encoding: 'utf-8', bomLength: 0 };
  const best = analyse(head)[0];
  if (
    best &&
    !LATIN_FAMILY.has(best.name) &&
    best.confidence >= 60 &&
    iconv.encodingExists(best.name)
  ) {
    return { encoding: normaliseEncodingName(best.name), bomLength: 0 };
  }
  return { encoding: 'windows-1252', bomLength: 0 };
}

export function decodeHead(head: Buffer, info: TextEncodingInfo): string {
  return iconv.decode(head.subarray(info.bomLength), info.encoding, { stripBOM: true });
}

/**
 * Rejects files that are not text at all (images, archives, renamed spreadsheets) before a parser
 * turns them into thousands of garbage rows.
 */
export function assertLooksLikeText(decodedHead: string, fileLabel: string): void {
  if (decodedHead.length === 0) return;
  let suspicious = 0;
  for (let i = 0; i < decodedHead.length; i++) {
    const c = decodedHead.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0xfffd) {
      suspicious++;
    }
  }
  if (suspicious / decodedHead.length > 0.02) {
    throw new IngestionError(
      'unreadable_file',
      `The ${fileLabel} file does not contain readable text (it looks like binary data). ` +
        'Export it again as CSV, or upload the original spreadsheet as .xlsx.',
    );
  }
}

/**
 * A stream of text starting after the byte-order mark: decoded strings, or raw UTF-8 bytes when
 * `utf8Bytes` is set for a consumer that decodes UTF-8 itself (csv-parse does, faster).
 */
export function createTextStream(
  filePath: string,
  info: TextEncodingInfo,
  utf8Bytes = false,
): Readable {
  if (info.encoding === 'utf-8') {
    return createReadStream(filePath, {
      start: info.bomLength,
      encoding: utf8Bytes ? undefined : 'utf8',
      highWaterMark: 256 * 1024,
    });
  }
  const bytes = createReadStream(filePath, { start: info.bomLength, highWaterMark: 256 * 1024 });
  const decoder = iconv.decodeStream(info.encoding, { stripBOM: true }) as unknown as Readable;
  bytes.on('error', (err) => decoder.destroy(err));
  return bytes.pipe(decoder as unknown as NodeJS.WritableStream) as unknown as Readable;
}

function bomOf(head: Buffer): TextEncodingInfo | undefined {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { encoding: 'utf-8', bomLength: 3 };
  }
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe)
    return { encoding: 'utf-16le', bomLength: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff)
    return { encoding: 'utf-16be', bomLength: 2 };
  return undefined;
}

/** ASCII-heavy UTF-16 without a BOM shows NUL in every other byte. */
function sniffUtf16WithoutBom(head: Buffer): string | undefined {
  const pairs = Math.floor(Math.min(head.length, 4096) / 2);
  if (pairs < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) evenNul++;
    if (head[2 * i + 1] === 0) oddNul++;
  }
  if (oddNul / pairs > 0.4 && evenNul / pairs < 0.05) return 'utf-16le';
  if (evenNul / pairs > 0.4 && oddNul / pairs < 0.05) return 'utf-16be';
  return undefined;
}

function isValidUtf8(head: Buffer): boolean {
  // A sample may end part-way through a multi-byte character; drop that tail before validating.
  let end = head.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const byte = head[end - back];
    if ((byte & 0xc0) === 0x80) continue;
    if (byte >= 0xc0) {
      const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      if (needed > back) end -= back;
    }
    break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

function normaliseEncodingName(name: string): string {
  const lower = name.toLowerCase().replace(/_/g, '-');
  if (lower === 'utf8') return 'utf-8';
  if (lower === 'utf16le' || lower === 'ucs2' || lower === 'ucs-2') return 'utf-16le';
  if (lower === 'utf16be') return 'utf-16be';
  if (lower === 'latin1' || lower === 'iso-8859-1' || lower === 'cp1252') return 'windows-1252';
  return lower;
}

export function errorCode(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string')
    return err.code;
  return 'unknown error';
}
