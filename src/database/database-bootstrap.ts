import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source';

/** Arbitrary constant: every process of the bank takes this advisory lock to migrate one at a time. */
const MIGRATION_LOCK_ID = 7_410_225;

export class DatabaseUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUnavailableError';
  }
}

function describeUrl(databaseUrl: string): string {
  const u = new URL(databaseUrl);
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
}

/** Creates the database named in the URL when it does not exist yet (developer machines, CI). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name)
    throw new DatabaseUnavailableError('DATABASE_URL must name a database, e.g. .../insight_bank');
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (e) {
    // Maybe no rights on the "postgres" database: the target may exist already; let the real connect decide.
    if ((e as { code?: string }).code === '3D000' || (e as { code?: string }).code === '28000')
      return;
    throw new DatabaseUnavailableError(
      `Cannot reach PostgreSQL at ${describeUrl(databaseUrl)}: ${(e as Error).message}. ` +
        'Start PostgreSQL or set DATABASE_URL.',
    );
  }
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      } catch (e) {
        if ((e as { code?: string }).code !== '42P04') throw e; // created meanwhile by another process
      }
    }
  } finally {
    await client.end();
  }
}

/** Runs pending migrations while holding an advisory lock, so api and workers starting together are safe. */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await runner.release();
  }
}

export async function openDataSource(databaseUrl: string): Promise<DataSource> {
  await ensureDatabase(databaseUrl);
  const ds = new DataSource(dataSourceOptions(databaseUrl));
  try {
    await ds.initialize();
  } catch (e) {
    throw new DatabaseUnavailableError(
      `Cannot connect to PostgreSQL at ${describeUrl(databaseUrl)}: ${(e as Error).message}`,
    );
  }
  return ds;
}
