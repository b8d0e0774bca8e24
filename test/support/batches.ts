import { http } from './auth';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { OrganisationsService } from '../../src/organisations/organisations.service';
import { waitFor } from './wait-for';

export interface BatchBody {
  id: string;
  status: string;
  counts: {
    received: number;
    accepted: number;
    updated: number;
    rejected: number;
    duplicates: number;
    indexed: number;
  };
  errorMessage: string | null;
  errorSummary: Record<string, number>;
  progress: { percent: number; rowsRead: number };
  mapping?: {
    mapped: Array<{ column: string; field: string }>;
    unmapped: string[];
    missing: string[];
  } | null;
}

export async function ensureOrg(
  app: INestApplication,
  code = 'hw-test',
  kind = 'healthwatch',
): Promise<string> {
  const orgs = app.get(OrganisationsService);
  const found = await orgs.byCode(code).catch(() => undefined);
  return (found ?? (await orgs.create({ code, name: `Test ${code}`, kind }))).id;
}

export async function upload(
  app: INestApplication<App>,
  file: Buffer | string,
  fileName: string,
  fields: Record<string, string> = {},
): Promise<request.Response> {
  let req = http(app).post('/api/v1/batches');
  const all = {
    organisation: 'hw-test',
    sourceType: 'survey',
    title: `Upload of ${fileName}`,
    ...fields,
  };
  for (const [k, v] of Object.entries(all)) req = req.field(k, v);
  return req.attach('file', typeof file === 'string' ? file : file, fileName);
}

const TERMINAL = ['complete', 'failed', 'partially_failed'];

export async function waitForBatch(
  app: INestApplication<App>,
  id: string,
  timeoutMs = 120000,
): Promise<BatchBody> {
  return waitFor(
    `batch ${id} to finish`,
    async () => {
      const res = await http(app).get(`/api/v1/batches/${id}`);
      const body = res.body as BatchBody;
      return TERMINAL.includes(body.status) ? body : undefined;
    },
    timeoutMs,
    200,
  );
}

export async function insightTexts(
  app: INestApplication,
  batchId: string,
): Promise<
  Array<{
    row_number: number;
    part: number;
    text: string;
    question: string | null;
    comment_date: string | null;
  }>
> {
  return app
    .get(DataSource)
    .query(
      `SELECT row_number, part, text, question, to_char(comment_date, 'YYYY-MM-DD') AS comment_date FROM insight WHERE batch_id = $1 ORDER BY row_number, part`,
      [batchId],
    );
}

export async function rowCounts(
  app: INestApplication,
  batchId: string,
): Promise<{ insights: number; rejected: number; chunks: number }> {
  const [r] = await app
    .get(DataSource)
    .query<Array<{ insights: number; rejected: number; chunks: number }>>(
      `SELECT (SELECT count(*) FROM insight WHERE batch_id = $1)::int AS insights,
            (SELECT count(*) FROM rejected_row WHERE batch_id = $1)::int AS rejected,
            (SELECT count(*) FROM batch_chunk WHERE batch_id = $1)::int AS chunks`,
      [batchId],
    );
  return r;
}
