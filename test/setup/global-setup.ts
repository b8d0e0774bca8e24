import * as path from 'node:path';
import { ensureMeilisearch, type MeiliConnection } from '../../src/search/meili/meili-launcher';

declare global {
  var __MEILI__: MeiliConnection | undefined;
}

/**
 * Integration tests run against real services: the machine's PostgreSQL and Redis, and Meilisearch
 * (MEILI_URL when given, else the project's bundled binary in its own test data folder). Each run
 * uses its own queue prefix and index prefix so runs never see each other's data.
 */
export default async function globalSetup(): Promise<void> {
  const runId = `t${Date.now().toString(36)}`;
  process.env.TEST_RUN_ID = runId;
  if (!process.env.MEILI_URL) {
    const conn = await ensureMeilisearch({
      // A folder per run: two runs at once (a developer and CI) never stop each other's server.
      dataDir: path.resolve(__dirname, '..', '..', '.data', `meilisearch-test-${runId}`),
      port: 7790,
      startTimeoutMs: 60000,
    });
    globalThis.__MEILI__ = conn;
    process.env.MEILI_URL = conn.url;
    process.env.MEILI_MASTER_KEY = conn.masterKey;
  }
}
