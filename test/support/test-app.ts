import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { configureHttpApp } from '../../src/bootstrap';
import { ApiModule } from '../../src/api.module';
import { CombinedModule } from '../../src/combined.module';
import { resetConfigCache } from '../../src/config/config';

/** The bank in this process on the real services: api and worker (default), or the api alone. */
export async function createTestApp(role: 'all' | 'api' = 'all'): Promise<INestApplication> {
  resetConfigCache();
  const moduleRef = await Test.createTestingModule({
    imports: [role === 'all' ? CombinedModule : ApiModule],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  configureHttpApp(app);
  await app.init();
  return app;
}

const TABLES = [
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
  if (ordered.length)
    await ds.query(`TRUNCATE ${ordered.map((t) => `"${t}"`).join(', ')} RESTART IDENTITY CASCADE`);
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 30000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
