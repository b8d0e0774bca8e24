import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { configureHttpApp } from '../../src/bootstrap';
import { issueStandingKeys } from './auth';
import { ApiModule } from '../../src/api.module';
import { CombinedModule } from '../../src/combined.module';
import { resetConfigCache } from '../../src/config/config';
import { INSIGHTS_INDEX } from '../../search-config/insights.index';
import { waitForTask } from '../../src/search/index-gateway';
import { isNotFound, MeiliTaskFailed } from '../../src/search/meili/meili-tasks';
import { MeiliService } from '../../src/search/meili/meili.service';

/** The bank in this process on the real services: api and worker (default), or the api alone. */
export async function createTestApp(role: 'all' | 'api' = 'all'): Promise<INestApplication> {
  resetConfigCache();
  const moduleRef = await Test.createTestingModule({
    imports: [role === 'all' ? CombinedModule : ApiModule],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  configureHttpApp(app);
  await app.init();
  await issueStandingKeys(app);
  return app;
}

const TABLES = [
  'api_key',
  'app_user',
  'tag_event',
  'tagger_model',
  'taxonomy_version',
  'theme',
  'index_outbox',
  'rejected_row',
  'insight',
  'batch_chunk',
  'batch',
  'organisation',
  'audit_event',
];

export async function truncateAll(app: INestApplication): Promise<void> {
  const ds = app.get(DataSource);
  const existing = await ds.query<Array<{ tablename: string }>>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`,
  );
  const names = existing.map((t) => t.tablename).filter((t) => t !== 'migrations');
  const ordered = [
    ...TABLES.filter((t) => names.includes(t)),
    ...names.filter((t) => !TABLES.includes(t)),
  ];
  // The app's own workers may be reading these tables meanwhile (the sweeper at start advances
  // batches a previous suite left unfinished); PostgreSQL then breaks the lock cycle by failing one
  // side with a deadlock, and the TRUNCATE is simply tried again.
  for (let attempt = 1; ordered.length; attempt++) {
    try {
      await ds.query(
        `TRUNCATE ${ordered.map((t) => `"${t}"`).join(', ')} RESTART IDENTITY CASCADE`,
      );
      break;
    } catch (e) {
      if (attempt >= 5 || (e as { code?: string }).code !== '40P01') throw e;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
  // The index is this run's and this test worker's own (MEILI_INDEX_PREFIX); empty it too, so a
  // suite sees only the documents it made.
  const meili = app.get(MeiliService);
  try {
    const task = await meili.request<{ taskUid: number }>(
      'DELETE',
      `/indexes/${encodeURIComponent(meili.indexUid(INSIGHTS_INDEX))}/documents`,
    );
    await waitForTask(meili, task);
  } catch (e) {
    // No index yet: Meilisearch accepts the delete, then fails its task with index_not_found.
    if (!isNotFound(e) && !(e instanceof MeiliTaskFailed && e.code === 'index_not_found')) throw e;
  }
  await issueStandingKeys(app);
}
