import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TERMINAL_BATCH_STATUSES } from '../../src/batches/batch.entity';
import { BatchesService } from '../../src/batches/batches.service';
import type { BatchView } from '../../src/batches/dto/batch-view';
import { FileStore } from '../../src/batches/file-store';
import { importDto } from '../../src/cli/import.command';
import type { InsightTheme } from '../../src/insights/insight.entity';
import { MeiliService } from '../../src/search/meili/meili.service';
import { SearchIndexService } from '../../src/search/indexing/search-index.service';
import { TaggingService } from '../../src/enrichment/tagging/tagging.service';
import { truncateAll } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { ensureOrg } from '../support/batches';

/** Empties the tables and puts the default taxonomy back, as a fresh bank starts. */
export async function resetBank(app: INestApplication): Promise<void> {
  await truncateAll(app);
  const tagging = app.get(TaggingService);
  await tagging.ensureSeeded();
  await tagging.refresh();
  await ensureOrg(app);
}

export interface StoredInsight {
  id: string;
  text: string;
  themes: InsightTheme[];
  theme_codes: string[];
  sentiment: string | null;
}

export function insightsOf(app: INestApplication, batchId?: string): Promise<StoredInsight[]> {
  return app
    .get(DataSource)
    .query(
      `SELECT id, text, themes, theme_codes, sentiment FROM insight ${batchId ? 'WHERE batch_id = $1' : ''} ORDER BY row_number`,
      batchId ? [batchId] : [],
    );
}

export async function searchDocument(
  app: INestApplication,
  id: string,
): Promise<{ themeCodes: string[]; themeNames?: string[]; sentiment?: string } | undefined> {
  const uid = app.get(SearchIndexService).uid;
  return app
    .get(MeiliService)
    .request<{ themeCodes: string[]; themeNames?: string[]; sentiment?: string }>(
      'GET',
      `/indexes/${uid}/documents/${id}`,
    )
    .catch(() => undefined);
}

export function csvOf(rows: string[][]): Buffer {
  return Buffer.from(
    rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n') + '\n',
    'utf8',
  );
}

/**
 * Imports a file through the service layer, as `insight-bank import` does (no HTTP), and waits
 * until the batch has finished.
 */
export async function importFile(
  app: INestApplication,
  body: Buffer,
  fileName: string,
  timeoutMs = 120000,
): Promise<BatchView> {
  const service = app.get(BatchesService);
  const temp = path.join(app.get(FileStore).incomingDir(), `${randomUUID()}.upload`);
  await fs.promises.writeFile(temp, body);
  const created = await service.create(importDto(fileName, { org: 'hw-test', source: 'survey' }), {
    path: temp,
    originalname: fileName,
    size: body.length,
  });
  return waitFor(
    `batch ${created.id} to finish`,
    async () => {
      const view = await service.get(created.id);
      return (TERMINAL_BATCH_STATUSES as readonly string[]).includes(view.status)
        ? view
        : undefined;
    },
    timeoutMs,
    200,
  );
}

/** Imports one comment per row and returns the stored insights, in row order. */
export async function importComments(
  app: INestApplication,
  fileName: string,
  comments: string[],
): Promise<StoredInsight[]> {
  const batch = await importFile(app, csvOf([['comment'], ...comments.map((c) => [c])]), fileName);
  if (batch.status !== 'complete' || batch.counts.accepted !== comments.length)
    throw new Error(`${fileName}: batch ${batch.status} with ${batch.counts.accepted} accepted`);
  return insightsOf(app, batch.id);
}
