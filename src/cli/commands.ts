import type { Command } from 'commander';
import { runProcess, type ProcessRole } from '../bootstrap';
import { loadConfig } from '../config/config';
import { openDataSource, runMigrations } from '../database/database-bootstrap';
import { runDoctor } from './doctor';

export function registerCommands(program: Command): void {
  program
    .command('start')
    .description(
      'Run pending migrations and start the api and worker in one process (or one of them with --role)',
    )
    .option('--role <role>', 'api | worker | all', 'all')
    .action(async (opts: { role: string }) => {
      if (!['api', 'worker', 'all'].includes(opts.role))
        throw new Error(`--role must be api, worker or all (got "${opts.role}")`);
      await runProcess(opts.role as ProcessRole);
    });

  program
    .command('doctor')
    .description(
      'Check the configuration, PostgreSQL, Redis and Meilisearch, and say how to fix what is wrong',
    )
    .action(async () => {
      const ok = await runDoctor((line) => process.stdout.write(`${line}\n`));
      process.exitCode = ok ? 0 : 1;
    });

  program
    .command('migrate')
    .description('Create the database if needed and apply pending migrations')
    .action(async () => {
      const ds = await openDataSource(loadConfig().DATABASE_URL);
      try {
        const applied = await runMigrations(ds);
        process.stdout.write(
          applied.length ? `Applied: ${applied.join(', ')}\n` : 'The database is up to date.\n',
        );
      } finally {
        await ds.destroy();
      }
    });

  program
    .command('migrate:revert')
    .description('Revert the most recent migration (or all of them with --all)')
    .option('--all', 'revert every migration')
    .action(async (opts: { all?: boolean }) => {
      const ds = await openDataSource(loadConfig().DATABASE_URL);
      try {
        do {
          const executed = (await ds
            .query('SELECT count(*)::int AS n FROM migrations')
            .catch(() => [{ n: 0 }])) as Array<{ n: number }>;
          if (!executed[0].n) {
            process.stdout.write('No migration left to revert.\n');
            break;
          }
          await ds.undoLastMigration({ transaction: 'each' });
          process.stdout.write('Reverted one migration.\n');
        } while (opts.all);
      } finally {
        await ds.destroy();
      }
    });
}
