import type { RawRecord, ReadOptions, SourceFormat } from './adapter.types';
import { readCsvBatches } from './csv.adapter';
import { detectFormat } from './detect-format.util';
import { readJsonBatches, readNdjsonBatches } from './json.adapter';
import { readHead } from './text-decoding.util';
import { readXlsxBatches } from './xlsx.adapter';

/**
 * Streams the records of an uploaded file, whatever its format. Errors that stop the file are
 * IngestionErrors; records before the failure have already been yielded, and the caller decides
 * whether to keep them.
 */
export async function* readRecords(
  filePath: string,
  opts: ReadOptions = {},
): AsyncGenerator<RawRecord> {
  const format: SourceFormat =
    opts.format ?? detectFormat(opts.fileName ?? filePath, await readHead(filePath));
  for await (const batch of batchesOf(format, filePath, opts)) {
    for (const record of batch) yield record;
  }
}

function batchesOf(
  format: SourceFormat,
  filePath: string,
  opts: ReadOptions,
): AsyncGenerator<RawRecord[]> {
  switch (format) {
    case 'csv':
      return readCsvBatches(filePath, opts);
    case 'xlsx':
      return readXlsxBatches(filePath, opts);
    case 'json':
      return readJsonBatches(filePath, opts);
    case 'ndjson':
      return readNdjsonBatches(filePath, opts);
  }
}
