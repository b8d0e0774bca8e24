import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline, Readable, Transform } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { IngestionError } from '../ingestion.error';

/**
 * Just enough of the zip format to vet an .xlsx before handing it to the spreadsheet parser: the
 * central directory says how big every part claims to be, and one inflate pass proves it.
 */
export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const MAX_EOCD_SEARCH = 22 + 0xffff;
const MAX_ENTRIES = 10_000;

/** A single part may be this many times smaller packed than unpacked before it is suspicious... */
export const MAX_COMPRESSION_RATIO = 200;
/** ...once it unpacks to more than this. Highly repetitive small parts are normal in xlsx. */
export const RATIO_CHECK_MIN_BYTES = 50 * 1024 * 1024;

const MB = 1024 * 1024;

export async function readZipDirectory(filePath: string): Promise<ZipEntry[]> {
  let handle: FileHandle;
  try {
    handle = await open(filePath, 'r');
  } catch {
    throw unreadable('The spreadsheet file cannot be opened.');
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) throw new IngestionError('empty_file', 'The spreadsheet file is empty.');
    const tailLength = Math.min(size, MAX_EOCD_SEARCH);
    const tail = await readAt(handle, size - tailLength, tailLength);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) {
      throw unreadable(
        'The spreadsheet is incomplete or damaged (its zip directory is missing). Save or download it again.',
      );
    }
    let entryCount = tail.readUInt16LE(eocd + 10);
    let directorySize = tail.readUInt32LE(eocd + 12);
    let directoryOffset = tail.readUInt32LE(eocd + 16);
    if (entryCount === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
      const locator = eocd - 20;
      if (locator < 0 || tail.readUInt32LE(locator) !== ZIP64_LOCATOR_SIGNATURE) {
        throw unreadable('The spreadsheet is damaged (its zip64 directory is missing).');
      }
      const zip64Offset = Number(tail.readBigUInt64LE(locator + 8));
      const record = await readAt(handle, zip64Offset, 56);
      if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) {
        throw unreadable('The spreadsheet is damaged (its zip64 directory is unreadable).');
      }
      entryCount = Number(record.readBigUInt64LE(32));
      directorySize = Number(record.readBigUInt64LE(40));
      directoryOffset = Number(record.readBigUInt64LE(48));
    }
    if (entryCount > MAX_ENTRIES) {
      throw new IngestionError(
        'zip_bomb',
        `The spreadsheet has ${entryCount} parts; the limit is ${MAX_ENTRIES}.`,
      );
    }
    if (directoryOffset + directorySize > size) {
      throw unreadable(
        'The spreadsheet is incomplete or damaged (it is shorter than its directory says).',
      );
    }
    const directory = await readAt(handle, directoryOffset, directorySize);
    const entries = parseDirectory(directory, entryCount);
    for (const entry of entries) {
      if (entry.localHeaderOffset + entry.compressedSize > size) {
        throw unreadable(
          'The spreadsheet is incomplete or damaged (a part extends past the end of the file).',
        );
      }
    }
    return entries;
  } finally {
    await handle.close();
  }
}

/** Refuses archives whose declared contents would exhaust memory or disk while being unpacked. */
export function assertNotZipBomb(entries: readonly ZipEntry[], maxUncompressedBytes: number): void {
  const total = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  if (total > maxUncompressedBytes) {
    throw new IngestionError(
      'zip_bomb',
      `The spreadsheet unpacks to ${formatBytes(total)}; the limit is ${formatBytes(maxUncompressedBytes)}.`,
    );
  }
  for (const entry of entries) {
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize > RATIO_CHECK_MIN_BYTES && ratio > MAX_COMPRESSION_RATIO) {
      throw new IngestionError(
        'zip_bomb',
        `The spreadsheet looks like a zip bomb: one part unpacks to ${formatBytes(entry.uncompressedSize)} ` +
          `at ${Math.round(ratio)}:1 compression; the limit is ${MAX_COMPRESSION_RATIO}:1 above ${formatBytes(RATIO_CHECK_MIN_BYTES)}.`,
      );
    }
  }
}

/**
 * A stage that fails with zip_bomb as soon as an entry unpacks past the size its directory
 * declares; `forward` passes the bytes on, otherwise they are only handed to `onChunk`.
 */
function declaredSizeCap(
  entry: ZipEntry,
  forward: boolean,
  onChunk?: (chunk: Buffer) => void,
): Transform {
  let produced = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      produced += chunk.length;
      if (produced > entry.uncompressedSize) {
        done(
          new IngestionError(
            'zip_bomb',
            `The spreadsheet part "${entry.name}" unpacks to more than the ${formatBytes(entry.uncompressedSize)} it declares.`,
          ),
        );
        return;
      }
      onChunk?.(chunk);
      done(null, forward ? chunk : undefined);
    },
  });
}

/**
 * Inflates one entry, refusing to produce more bytes than the directory declared (a lying
 * directory is the other half of a zip bomb) and checking the CRC, so a damaged file fails here
 * with a clear error instead of somewhere inside the spreadsheet parser.
 */
export async function inflateEntry(
  filePath: string,
  entry: ZipEntry,
  onChunk?: (chunk: Buffer) => void,
): Promise<void> {
  const dataOffset = await localDataOffset(filePath, entry);
  let produced = 0;
  let crc = 0;
  const hasCrc = typeof zlib.crc32 === 'function';
  const counter = declaredSizeCap(entry, false, (chunk) => {
    produced += chunk.length;
    if (hasCrc) crc = zlib.crc32(chunk, crc);
    onChunk?.(chunk);
  });
  const source: Readable = createReadStream(filePath, {
    start: dataOffset,
    end: dataOffset + entry.compressedSize - 1,
  });
  if (entry.method !== 0 && entry.method !== 8) {
    source.destroy();
    throw new IngestionError(
      'unsupported_format',
      `The spreadsheet uses an unsupported zip compression method (${entry.method}).`,
    );
  }
  try {
    if (entry.compressedSize === 0) source.destroy();
    else if (entry.method === 8) await pipelineAsync(source, zlib.createInflateRaw(), counter);
    else await pipelineAsync(source, counter);
  } catch (err) {
    if (err instanceof IngestionError) throw err;
    throw unreadable(`The spreadsheet is damaged: the part "${entry.name}" cannot be unpacked.`);
  }
  if (produced !== entry.uncompressedSize || (hasCrc && crc >>> 0 !== entry.crc32 >>> 0)) {
    throw unreadable(
      `The spreadsheet is damaged: the part "${entry.name}" does not match its checksum.`,
    );
  }
}

/**
 * Streams one entry's unpacked bytes, for parts that inflateEntry has already vetted; the size cap
 * still holds in case the file changed in between. Errors, including a damaged part, are
 * emitted on the returned stream.
 */
export async function openEntry(filePath: string, entry: ZipEntry): Promise<Readable> {
  if (entry.method !== 0 && entry.method !== 8) {
    throw new IngestionError(
      'unsupported_format',
      `The spreadsheet uses an unsupported zip compression method (${entry.method}).`,
    );
  }
  const dataOffset = await localDataOffset(filePath, entry);
  if (entry.compressedSize === 0) return Readable.from([]);
  const cap = declaredSizeCap(entry, true);
  const source = createReadStream(filePath, {
    start: dataOffset,
    end: dataOffset + entry.compressedSize - 1,
  });
  // pipeline destroys every stage on failure, so the error surfaces on `cap` for its reader.
  const noop = () => undefined;
  return entry.method === 8
    ? pipeline(source, zlib.createInflateRaw(), cap, noop)
    : pipeline(source, cap, noop);
}

function parseDirectory(directory: Buffer, entryCount: number): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let n = 0; n < entryCount; n++) {
    if (p + 46 > directory.length || directory.readUInt32LE(p) !== CENTRAL_SIGNATURE) {
      throw unreadable('The spreadsheet is damaged (its zip directory is corrupt).');
    }
    const nameLength = directory.readUInt16LE(p + 28);
    const extraLength = directory.readUInt16LE(p + 30);
    const commentLength = directory.readUInt16LE(p + 32);
    const entry: ZipEntry = {
      flags: directory.readUInt16LE(p + 8),
      method: directory.readUInt16LE(p + 10),
      crc32: directory.readUInt32LE(p + 16),
      compressedSize: directory.readUInt32LE(p + 20),
      uncompressedSize: directory.readUInt32LE(p + 24),
      localHeaderOffset: directory.readUInt32LE(p + 42),
      name: directory.toString('utf8', p + 46, p + 46 + nameLength),
    };
    applyZip64Extra(
      entry,
      directory.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength),
    );
    entries.push(entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Sizes that do not fit 32 bits live in the zip64 extra field, in a fixed order, only when flagged. */
function applyZip64Extra(entry: ZipEntry, extra: Buffer): void {
  let p = 0;
  while (p + 4 <= extra.length) {
    const id = extra.readUInt16LE(p);
    const length = extra.readUInt16LE(p + 2);
    if (id === 0x0001) {
      let q = p + 4;
      const end = q + length;
      const next = (): number | undefined => {
        if (q + 8 > end || q + 8 > extra.length) return undefined;
        const value = Number(extra.readBigUInt64LE(q));
        q += 8;
        return value;
      };
      if (entry.uncompressedSize === 0xffffffff)
        entry.uncompressedSize = next() ?? entry.uncompressedSize;
      if (entry.compressedSize === 0xffffffff)
        entry.compressedSize = next() ?? entry.compressedSize;
      if (entry.localHeaderOffset === 0xffffffff)
        entry.localHeaderOffset = next() ?? entry.localHeaderOffset;
      return;
    }
    p += 4 + length;
  }
}

async function localDataOffset(filePath: string, entry: ZipEntry): Promise<number> {
  const handle = await open(filePath, 'r');
  try {
    const header = await readAt(handle, entry.localHeaderOffset, 30);
    if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_SIGNATURE) {
      throw unreadable('The spreadsheet is damaged (a part header is missing).');
    }
    return entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  } finally {
    await handle.close();
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

function unreadable(message: string): IngestionError {
  return new IngestionError('unreadable_file', message);
}

export function formatBytes(bytes: number): string {
  if (bytes < MB) return `${bytes} bytes`;
  return `${Math.round((bytes / MB) * 10) / 10} MB`;
}
