import type { Command } from 'commander';
import { formatRetentionReport } from '../retention/retention-schedule';
import { RetentionService } from '../retention/retention.service';
import { withContext } from './cli-context';

/** retention:run — what the scheduled retention job does, now. */
export function registerRetentionCommands(program: Command): void {
  program
    .command('retention:run')
    .description(
      'Delete every batch past its retention date now (as the daily job does) and print what was deleted',
    )
    .option('--dry-run', 'list what would be deleted, delete nothing')
    .action(async (o: { dryRun?: boolean }) => {
      const report = await withContext({}, (app) =>
        app.get(RetentionService).expire({ dryRun: o.dryRun === true }),
      );
      for (const line of formatRetentionReport(report)) process.stdout.write(`${line}\n`);
      if (report.failed.length) process.exitCode = 1;
    });
}
