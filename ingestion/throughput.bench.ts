/**
 * Measures readRecords + mapRecord throughput on a generated CSV (and JSON) file.
 * Run: npx ts-node --transpile-only ingestion/throughput.bench.ts [rows]
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as ExcelJS from 'exceljs';
import { buildMapping, chooseProfile, mapRecord, readRecords } from './index';

const PHRASES = [
  'Waited over two hours in A&E, staff were kind but clearly stretched',
  'Could not get a GP appointment for three weeks, the phone line kept cutting off',
  'The nurse explained everything clearly, "really reassuring", thank you',
  'Parking at the hospital cost £12, too much for a long outpatient clinic',
  'Café was closed and there was nowhere to get a drink while waiting',
];

async function measure(label: string, file: string): Promise<void> {
  let headers: string[] = [];
  let mapping: ReturnType<typeof buildMapping> | undefined;
  let rows = 0;
  let comments = 0;
  const started = process.hrtime.bigint();
  for await (const record of readRecords(file, { onHeaders: (h) => (headers = h) })) {
    if (!mapping) {
      if (headers.length === 0) headers = Object.keys(record.values);
      mapping = buildMapping(headers, chooseProfile(headers).profile);
    }
    rows++;
    comments += mapRecord(record, mapping, {}).comments.length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const mb = statSync(file).size / 1024 / 1024;
  console.log(
    `${label}: ${rows} rows (${comments} comments, ${mb.toFixed(1)} MB) in ${seconds.toFixed(2)} s = ` +
      `${Math.round(rows / seconds).toLocaleString('en-GB')} rows/s`,
  );
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 500_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'ingestion-bench-'));
  try {
    const csvLines = ['Ref,Comment,Date,Postcode,Age band,Service,Staff notes'];
    const json: string[] = [];
    for (let i = 0; i < rows; i++) {
      const text = `${PHRASES[i % PHRASES.length]} (visit ${i})`;
      const date = `${(i % 28) + 1}/${(i % 12) + 1}/2024`;
      csvLines.push(
        `R${i},"${text.replace(/"/g, '""')}",${date},ME${i % 20} 1AA,${(i % 7) * 10}-${(i % 7) * 10 + 9},Ward ${i % 30},note ${i}`,
      );
      json.push(
        JSON.stringify({
          ref: `R${i}`,
          comment: text,
          date,
          postcode: `ME${i % 20} 1AA`,
          service: `Ward ${i % 30}`,
        }),
      );
    }
    const csvFile = path.join(dir, 'bench.csv');
    writeFileSync(csvFile, `${csvLines.join('\r\n')}\r\n`);
    const jsonFile = path.join(dir, 'bench.json');
    writeFileSync(jsonFile, `[${json.join(',\n')}]`);
    const xlsxFile = path.join(dir, 'bench.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: xlsxFile,
      useSharedStrings: true,
    });
    const sheet = writer.addWorksheet('Feedback');
    sheet.addRow(['Ref', 'Comment', 'Date', 'Postcode', 'Service']).commit();
    for (let i = 0; i < Math.min(rows, 100_000); i++) {
      sheet
        .addRow([
          `R${i}`,
          `${PHRASES[i % PHRASES.length]} (visit ${i})`,
          new Date(Date.UTC(2024, i % 12, (i % 28) + 1)),
          `ME${i % 20} 1AA`,
          `Ward ${i % 30}`,
        ])
        .commit();
    }
    sheet.commit();
    await writer.commit();
    await measure('csv ', csvFile);
    await measure('json', jsonFile);
    await measure('xlsx', xlsxFile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
