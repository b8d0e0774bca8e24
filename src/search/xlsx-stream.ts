import * as ExcelJS from 'exceljs';
import { PassThrough, type Readable } from 'node:stream';
import { spreadsheetCell } from './export-format';

/** Rows written between checks on the reader. */
const ROWS_PER_YIELD = 500;

/**
 * One worksheet written as a streamed XLSX file. Rows are pulled from `values` only as fast as the
 * reader takes the file, so a slow download does not pile the workbook up in memory, and a reader
 * that goes away stops the rows being read.
 */
export function xlsxStream(
  headers: string[],
  values: AsyncIterable<(string | number | null)[]>,
  onError: (e: Error) => void,
): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: false,
  });
  const sheet = workbook.addWorksheet('Insight');
  const write = async (): Promise<void> => {
    sheet.addRow(headers).commit();
    let sinceYield = 0;
    for await (const v of values) {
      sheet.addRow(v.map(spreadsheetCell)).commit();
      // Compression runs off the main thread: let its output reach `out` before judging whether
      // the reader is keeping up.
      if (++sinceYield >= ROWS_PER_YIELD) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
        while (out.writableNeedDrain && !out.destroyed) await drained(out);
      }
      if (out.destroyed) return;
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((e: unknown) => {
    onError(e as Error);
    out.destroy(e as Error);
  });
  return out;
}

/** Resolves when the stream can take more, or is closed. */
function drained(stream: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
