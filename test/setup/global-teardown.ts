import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';

/** Queue keys of this run (its prefix is unique to the run), so repeated runs do not pile up in Redis. */
async function dropQueueKeys(runId: string): Promise<void> {
  const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `ibtest-${runId}-*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // untidy, not a failure
  } finally {
    redis.disconnect();
  }
}

/** Stops this run's Meilisearch and drops the databases this run created. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__MEILI__?.stop();
  const runId = process.env.TEST_RUN_ID;
  if (!runId) return;
  fs.rmSync(path.resolve(__dirname, '..', '..', '.data', `meilisearch-test-${runId}`), {
    recursive: true,
    force: true,
  });
  const uploads = path.resolve(__dirname, '..', '..', '.data', 'test-uploads');
  for (const dir of fs.existsSync(uploads) ? fs.readdirSync(uploads) : []) {
    if (dir.startsWith(`${runId}-`))
      fs.rmSync(path.join(uploads, dir), { recursive: true, force: true });
  }
  await dropQueueKeys(runId);
  if (process.env.TEST_DATABASE_URL_BASE) return;
  const client = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  try {
    await client.connect();
    const dbs = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`insight_bank_test_${runId}_%`],
    );
    for (const { datname } of dbs.rows)
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } catch {
    // leaving a test database behind is untidy, not a failure
  } finally {
    await client.end().catch(() => undefined);
  }
}
