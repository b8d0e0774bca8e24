import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { ensureDatabase, runMigrations } from '../../src/database/database-bootstrap';

/** Runs every migration on an empty database, checks the entities match them, and reverts them all. */
describe('migrations', () => {
  const url = `${process.env.DATABASE_URL}_migrations`;
  let ds: DataSource;

  beforeAll(async () => {
    await ensureDatabase(url);
    ds = await new DataSource(dataSourceOptions(url)).initialize();
    await ds.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  });
  afterAll(async () => {
    await ds.destroy();
  });

  it('apply on an empty database, leave no drift, and revert cleanly', async () => {
    const applied = await runMigrations(ds);
    expect(applied.length).toBe(ds.migrations.length);
    expect(applied.length).toBeGreaterThan(0);

    const tables = await ds.query<Array<{ tablename: string }>>(
      `SELECT tablename FROM pg_tables WHERE schemaname='public'`,
    );
    expect(tables.map((t) => t.tablename)).toEqual(
      expect.arrayContaining([
        'organisation',
        'batch',
        'insight',
        'rejected_row',
        'index_outbox',
        'audit_event',
      ]),
    );

    // What `migration:generate` would write: nothing, when entities and migrations agree.
    const drift = await ds.driver.createSchemaBuilder().log();
    expect(drift.upQueries.map((q) => q.query)).toEqual([]);

    for (let i = 0; i < applied.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    const left = await ds.query<Array<{ tablename: string }>>(
      `SELECT tablename FROM pg_tables WHERE schemaname='public'`,
    );
    expect(left.map((t) => t.tablename)).toEqual(['migrations']);
    expect(await ds.query('SELECT count(*)::int AS n FROM migrations')).toEqual([{ n: 0 }]);
  });

  it('gives insights written before record keys their own random keys and queues them for re-indexing', async () => {
    await runMigrations(ds);
    // Back to just before the record keys, with whatever came after them reverted too.
    for (;;) {
      const [last] = await ds.query<Array<{ name: string }>>(
        `SELECT name FROM migrations ORDER BY id DESC LIMIT 1`,
      );
      expect(last).toBeDefined();
      await ds.undoLastMigration({ transaction: 'each' });
      if (last.name === 'RecordKeys1796416551071') break;
    }
    const [org] = await ds.query<Array<{ id: string }>>(
      `INSERT INTO organisation (code, name, kind) VALUES ('old', 'Old', 'trust') RETURNING id`,
    );
    const [batch] = await ds.query<Array<{ id: string }>>(
      `INSERT INTO batch (organisation_id, source_type, title, file_name, file_sha256, file_size)
       VALUES ($1, 'survey', 'Before keys', 'old.csv', $2, 1) RETURNING id`,
      [org.id, 'a'.repeat(64)],
    );
    await ds.query(
      `INSERT INTO insight (batch_id, organisation_id, row_number, content_hash, dedup_key, text, source_type, sharing_level)
       SELECT $1, $2, n, repeat('b', 64), 'k' || n, 'Comment ' || n, 'survey', 'system'
       FROM generate_series(1, 400) AS n`,
      [batch.id, org.id],
    );

    await runMigrations(ds);
    const keys = await ds.query<Array<{ record_key: number; n: number }>>(
      `SELECT record_key, count(*)::int AS n FROM insight GROUP BY 1 ORDER BY 1`,
    );
    expect(keys.every((k) => k.record_key >= 0 && k.record_key <= 31)).toBe(true);
    // 400 draws from 32 keys: every key is almost certain to appear (a chance of about 1e-4 that one does not).
    expect(keys.length).toBeGreaterThanOrEqual(30);
    expect(Math.max(...keys.map((k) => k.n))).toBeLessThan(40);
    const [queued] = await ds.query<Array<{ n: number }>>(
      `SELECT count(DISTINCT insight_id)::int AS n FROM index_outbox WHERE operation = 'upsert'`,
    );
    expect(queued.n).toBe(400);
    // A key cannot be changed to one outside the range.
    await expect(ds.query(`UPDATE insight SET record_key = 32`)).rejects.toThrow(
      /insight_record_key_range/,
    );
  });
});
