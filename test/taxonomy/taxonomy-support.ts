import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { InsightTheme } from '../../src/insights/insight.entity';
import { MeiliService } from '../../src/search/meili/meili.service';
import { SearchIndexService } from '../../src/search/indexing/search-index.service';
import { TaggingService } from '../../src/tagging/tagging.service';
import { truncateAll } from '../support/test-app';
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
