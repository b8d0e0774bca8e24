import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { readRecords } from '../../ingestion';
import { redact } from '../enrichment/redaction/redactor';

export interface RedactOptions {
  textColumn?: string;
}

/**
 * `insight-bank redact`: prints one JSON line per comment with the redacted text and where the
 * identifiers were, so a partner can check a file before sharing it. Reads a plain text file (one
 * comment per line), or any file the bank can import (CSV, XLSX, JSON) with --text-column.
 */
export async function runRedact(
  file: string,
  o: RedactOptions,
  write: (line: string) => void,
): Promise<number> {
  if (!fs.existsSync(file)) throw new Error(`No such file: ${file}`);
  let n = 0;
  const emit = (text: string) => {
    const r = redact(text);
    write(
      JSON.stringify({
        text: r.text,
        entities: r.entities.map((e) => ({ type: e.type, start: e.start, end: e.end })),
      }),
    );
    n += 1;
  };
  if (o.textColumn) {
    let seen = false;
    for await (const rec of readRecords(file, { fileName: file })) {
      if (!(o.textColumn in rec.values)) {
        throw new Error(
          `--text-column: no column "${o.textColumn}" in ${file} (columns: ${Object.keys(rec.values).join(', ')})`,
        );
      }
      seen = true;
      const v = rec.values[o.textColumn];
      emit(v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v));
    }
    if (!seen) throw new Error(`${file} has no data rows`);
    return n;
  }
  const lines = readline.createInterface({
    input: fs.createReadStream(file, 'utf8'),
    crlfDelay: Infinity,
  });
  for await (const line of lines) emit(line);
  return n;
}
