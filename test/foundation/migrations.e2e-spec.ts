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
});
