import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { mappingLines } from '../../ingestion';
import { BatchesService } from '../batches/batches.service';
import { FileStore } from '../batches/file-store';
import type { BatchView } from '../batches/dto/batch-view';
import { CreateBatchDto } from '../batches/dto/create-batch.dto';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IndexGateway } from '../search/index-gateway';
import { estimateRows, followImport, meiliIndexingProgress } from './import-progress';

export interface ImportOptions {
  org: string;
  source: string;
  title?: string;
  profile?: string;
  columnMap?: string;
  valueMap?: string;
  sharing?: string;
  dateOrder?: string;
  sheet?: string;
  wait?: boolean;
  json?: boolean;
}

/** Validates CLI options with the same DTO the HTTP API uses. */
export function importDto(file: string, o: ImportOptions): CreateBatchDto {
  const dto = plainToInstance(CreateBatchDto, {
    organisation: o.org,
    sourceType: o.source,
    title: o.title ?? path.basename(file),
    profile: o.profile,
    columnMap: o.columnMap,
    valueMap: o.valueMap,
    sharingLevel: o.sharing,
    dateOrder: o.dateOrder,
    sheet: o.sheet,
  });
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) {
    const flags: Record<string, string> = {
      organisation: '--org',
      sourceType: '--source',
      sharingLevel: '--sharing',
      columnMap: '--column-map',
      valueMap: '--value-map',
      dateOrder: '--date-order',
    };
    throw new Error(
      errors
        .map(
          (e) =>
            `${flags[e.property] ?? `--${e.property}`}: ${Object.values(e.constraints ?? {}).join('; ')}`,
        )
        .join('\n'),
    );
  }
  return dto;
}

/** `insight-bank import`: the same service path as an HTTP upload, with a progress bar. */
export async function runImport(
  app: INestApplicationContext,
  file: string,
  o: ImportOptions,
): Promise<{ view: BatchView; ok: boolean }> {
  const dto = importDto(file, o);
  if (!fs.existsSync(file)) throw new Error(`No such file: ${file}`);
  const service = app.get(BatchesService);
  const store = app.get(FileStore);
  // The service takes ownership of the uploaded copy; the user's file is never moved.
  const temp = path.join(store.incomingDir(), `${randomUUID()}.upload`);
  await fs.promises.copyFile(file, temp);
  const size = (await fs.promises.stat(temp)).size;
  const created = await service.create(dto, {
    path: temp,
    originalname: path.basename(file),
    size,
  });
  const say = (line: string) => {
    if (!o.json) process.stdout.write(`${line}\n`);
  };
  say(created.existing ? created.message : `Batch ${created.id} accepted.`);
  if (!o.wait) {
    const view = await service.get(created.id);
    if (o.json) process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
    return { view, ok: view.status !== 'failed' };
  }
  const view = await followImport(() => service.get(created.id), {
    out: process.stderr,
    show: !o.json,
    estimatedRows: await estimateRows(file),
    indexingProgress: meiliIndexingProgress(app.get(IndexGateway)),
  });
  if (o.json) process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
  else {
    const c = view.counts;
    say(`Batch ${view.id}: ${view.status}`);
    say(
      `  received ${c.received}, accepted ${c.accepted}, updated ${c.updated}, rejected ${c.rejected}, duplicates ${c.duplicates}, indexed ${c.indexed}`,
    );
    if (view.errorMessage) say(`  error: ${view.errorMessage}`);
    if (c.rejected + c.duplicates + c.updated > 0)
      say(`  rejected rows: insight-bank rejections ${view.id}  (or GET ${view.links.rejections})`);
    printMapping(view, say);
    printUnplaced(view, say);
  }
  return { view, ok: view.status === 'complete' };
}

/**
 * Which column was read as what, which were not used, and which key fields were not found: a
 * reference column under an unexpected name otherwise goes unnoticed until a corrected file is
 * uploaded again and duplicates its comments.
 */
function printMapping(view: BatchView, say: (line: string) => void): void {
  if (!view.mapping) return;
  for (const line of mappingLines(view.mapping)) say(`  ${line}`);
}

/** Answers the bank could not place, so the uploader can give their meaning with --value-map. */
export function unplacedLines(view: Pick<BatchView, 'unplacedValues'>): string[] {
  const fields = Object.entries(view.unplacedValues ?? {}).filter(([, v]) => v.length > 0);
  if (!fields.length) return [];
  return [
    'Answers not placed (counted as not known; map codes with --value-map):',
    ...fields.map(
      ([field, values]) =>
        `  ${field}: ${values.map((v) => `${JSON.stringify(v.value)} (${v.count})`).join(', ')}`,
    ),
  ];
}

function printUnplaced(view: BatchView, say: (line: string) => void): void {
  for (const line of unplacedLines(view)) say(`  ${line}`);
}
