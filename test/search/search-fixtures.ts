import type { Role } from '../../src/access/permissions';
import { http, keyOf } from '../support/auth';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import type { App } from 'supertest/types';
import { upload, waitForBatch } from '../support/batches';

export const PHASE1_FILE = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'shared',
  'data',
  'patient-feedback-phase1',
  'text_data.csv',
);

export function csv(rows: ReadonlyArray<ReadonlyArray<string>>): Buffer {
  const field = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return Buffer.from(rows.map((r) => r.map(field).join(',')).join('\n') + '\n', 'utf8');
}

/** Uploads a file and waits until every row is stored and indexed. */
export async function importBatch(
  app: INestApplication<App>,
  file: Buffer,
  name: string,
  fields: Record<string, string>,
): Promise<string> {
  const res = await upload(app, file, name, fields);
  if (res.status !== 202) throw new Error(`Upload of ${name} answered ${res.status}`);
  const batch = await waitForBatch(app, (res.body as { id: string }).id, 300_000);
  if (batch.status !== 'complete') throw new Error(`Batch ${name} ended ${batch.status}`);
  return batch.id;
}

/** Real published comments that mention the words the relevance tests look for, plus a sample. */
export function phase1Sample(limit: number): Buffer | undefined {
  if (!fs.existsSync(PHASE1_FILE)) return undefined;
  const rows: Array<Record<string, string>> = parse(fs.readFileSync(PHASE1_FILE), {
    columns: true,
    bom: true,
  });
  const wanted = /appointment|reception|nurse|A&E/i;
  const picked = rows.filter((r, i) => i < limit || wanted.test(r.feedback));
  return csv([
    ['reference', 'comment', 'question'],
    ...picked.map((r) => [`p1-${r.row_index}`, r.feedback, r.question]),
  ]);
}

export interface SearchBody {
  query: string;
  page: number;
  pageSize: number;
  total: number | null;
  hits: Array<{
    id: string;
    text: string;
    question: string | null;
    date: string | null;
    themes: Array<{ code: string; name: string }>;
    sentiment: string | null;
    place: { hcpArea: string | null; district: string | null; postcodeDistrict: string | null };
    sourceType: string;
    organisationId: string;
    batchId: string;
    demographics?: Record<string, string>;
  }>;
  facets: Record<string, Record<string, number | null>>;
  suppressed: Record<string, string[]>;
  notice?: string;
}

export function get(
  app: INestApplication<App>,
  url: string,
  params: Record<string, string | number> = {},
  role?: Role | 'anonymous',
) {
  const key = role === 'anonymous' ? null : keyOf(app, role ?? 'admin');
  return http(app, key).get(url).query(params);
}

export async function searchOk(
  app: INestApplication<App>,
  params: Record<string, string | number>,
  role?: Role | 'anonymous',
): Promise<SearchBody> {
  const res = await get(app, '/api/v1/insights/search', params, role);
  if (res.status !== 200) {
    throw new Error(`search answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return res.body as SearchBody;
}
