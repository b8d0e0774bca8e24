import type { Command } from 'commander';
import { SearchAdminService } from '../search/maintenance/search-admin.service';
import { withContext } from './cli-context';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Index maintenance: settings as code, full rebuild, reconciliation with PostgreSQL, status. */
export function registerSearchCommands(program: Command): void {
  program
    .command('search:apply')
    .description(
      'Create the insights index if needed and change its settings only where they differ from search-config/',
    )
    .action(async () => {
      await withContext({}, async (app) => {
        const r = await app.get(SearchAdminService).apply();
        if (r.created) out(`Created index ${r.index}.`);
        out(
          r.changed.length
            ? `Changed settings of ${r.index}: ${r.changed.join(', ')} (Meilisearch re-indexed the documents).`
            : `Settings of ${r.index} already match search-config/; nothing changed.`,
        );
      });
    });

  program
    .command('search:reindex')
    .description(
      'Rebuild the index from PostgreSQL into a new index, swap it in atomically and drop the old one; searches keep working',
    )
    .option('--batch-size <n>', 'documents per Meilisearch task', '10000')
    .action(async (o: { batchSize: string }) => {
      const batchSize = Number(o.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000)
        throw new Error('--batch-size must be a whole number from 1 to 100000');
      await withContext({}, async (app) => {
        const r = await app.get(SearchAdminService).reindex({
          batchSize,
          onProgress: (n) => process.stderr.write(`\r${n} documents loaded`),
        });
        process.stderr.write('\n');
        out(
          `Rebuilt ${r.index}: ${r.documents} documents in ${(r.ms / 1000).toFixed(1)} s` +
            (r.caughtUp ? `; ${r.caughtUp} changed during the rebuild were indexed again.` : '.'),
        );
      });
    });

  program
    .command('search:reconcile')
    .description(
      'Compare every batch in PostgreSQL with the index by id and repair drift both ways (missing documents are indexed, extra ones deleted)',
    )
    .option('--dry-run', 'report drift without repairing it')
    .option('--json', 'print the result as JSON')
    .action(async (o: { dryRun?: boolean; json?: boolean }) => {
      await withContext({}, async (app) => {
        const r = await app.get(SearchAdminService).reconcile({ repair: !o.dryRun });
        if (o.json) return out(JSON.stringify(r, null, 2));
        out(`Checked ${r.batches} batches.`);
        for (const d of r.drift)
          out(
            `  batch ${d.batchId}: ${d.database} in PostgreSQL, ${d.index} in the index (${d.missing} missing, ${d.extra} extra)`,
          );
        if (r.strays) out(`  ${r.strays} documents belong to no batch in PostgreSQL`);
        if (!r.drift.length && !r.strays) out('The index matches PostgreSQL.');
        else if (o.dryRun) out('Dry run: nothing repaired.');
        else out(`Repaired: ${r.queuedUpserts} indexed, ${r.queuedDeletes} deleted.`);
      });
    });

  program
    .command('search:status')
    .description(
      'Index name, document count, whether settings match search-config/, outbox backlog and per-batch drift',
    )
    .option('--json', 'print the status as JSON')
    .action(async (o: { json?: boolean }) => {
      await withContext({}, async (app) => {
        const s = await app.get(SearchAdminService).status();
        if (o.json) return out(JSON.stringify(s, null, 2));
        out(`Index:            ${s.index}${s.exists ? '' : ' (does not exist: run search:apply)'}`);
        out(`Documents:        ${s.documents} (PostgreSQL holds ${s.databaseInsights} comments)`);
        out(
          `Settings:         ${s.settingsInSync ? 'in sync with search-config/' : `differ: ${s.settingsDiffering.join(', ')} (run search:apply)`}`,
        );
        out(`Outbox backlog:   ${s.outboxBacklog}`);
        out(
          `Batches drifting: ${s.batchesWithDrift.length}${s.strays ? `; ${s.strays} documents in no known batch` : ''}`,
        );
        for (const b of s.batchesWithDrift.slice(0, 20))
          out(`  batch ${b.batchId}: ${b.database} in PostgreSQL, ${b.index} in the index`);
        if (s.batchesWithDrift.length > 20) out(`  ... and ${s.batchesWithDrift.length - 20} more`);
        if (s.batchesWithDrift.length || s.strays) out('Run search:reconcile to repair.');
      });
    });
}
