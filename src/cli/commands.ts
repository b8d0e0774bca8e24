import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from 'commander';
import { bankUrl, runProcess, type ProcessRole } from '../bootstrap';
import { loadConfig } from '../config/config';
import { openDataSource, runMigrations } from '../database/database-bootstrap';
import { BatchesService } from '../batches/batches.service';
import { ORGANISATION_KINDS } from '../organisations/organisation.entity';
import { OrganisationsService } from '../organisations/organisations.service';
import { PlacesImportService } from '../reference/places/places-import.service';
import { withContext } from './cli-context';
import { systemPrincipal } from '../access/principal';
import { runDoctor } from './doctor';
import { demoNextSteps, loadDemoBatch, portOwner } from './demo.command';
import { runImport, type ImportOptions } from './import.command';
import { runRedact } from './redact.command';
import { evaluatePiiCorpus, formatPiiReport } from '../enrichment/redaction/pii-quality';
import { registerAccessCommands } from './access.commands';
import { registerRetentionCommands } from './retention.commands';
import { registerSearchCommands } from './search.commands';
import { registerTaggerCommands } from './tagger.commands';

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

  program
    .command('orgs:create')
    .description('Add an organisation (a partner or the ICB) that can upload batches')
    .requiredOption('--code <code>', 'short code, e.g. hw-kent')
    .requiredOption('--name <name>', 'full name')
    .requiredOption('--kind <kind>', ORGANISATION_KINDS.join(' | '))
    .option('--trusted', 'its batches skip moderator review')
    .action(async (o: { code: string; name: string; kind: string; trusted?: boolean }) => {
      await withContext({}, async (app) => {
        const org = await app.get(OrganisationsService).create(o);
        process.stdout.write(
          `Created organisation ${org.code} (${org.name}, ${org.kind}) ${org.id}\n`,
        );
      });
    });

  program
    .command('orgs:trust <code>')
    .description(
      'Mark an organisation trusted (its new batches skip moderator review), or not with --off',
    )
    .option('--off', 'its new batches wait for a moderator again')
    .action(async (code: string, o: { off?: boolean }) => {
      await withContext({}, async (app) => {
        const org = await app
          .get(OrganisationsService)
          .setTrusted(code, !o.off, { principal: systemPrincipal('cli') });
        process.stdout.write(
          `${org.code} is ${org.trusted ? 'trusted: its new batches skip review' : 'not trusted: its new batches wait for a moderator'}\n`,
        );
      });
    });

  program
    .command('orgs:list')
    .description('List organisations')
    .action(async () => {
      await withContext({}, async (app) => {
        for (const o of await app.get(OrganisationsService).list())
          process.stdout.write(`${o.code}\t${o.kind}\t${o.name}${o.trusted ? '\ttrusted' : ''}\n`);
      });
    });

  program
    .command('import <file>')
    .description(
      'Upload a feedback file (CSV, XLSX, JSON, NDJSON) through the same path as the API',
    )
    .requiredOption('--org <code>', 'organisation code')
    .requiredOption(
      '--source <type>',
      'source type: survey, roadshow, healthwatch_report, focus_group, fft, ...',
    )
    .option('--title <title>', 'batch title (default: the file name)')
    .option('--profile <name>', 'column-mapping profile (default: chosen from the headers)')
    .option(
      '--column-map <json>',
      'JSON object field -> column header, e.g. \'{"text":"Comments"}\'',
    )
    .option(
      '--value-map <json>',
      'JSON object field -> { code -> answer } for coded answers, e.g. \'{"religion":{"7":"Sikh"}}\'',
    )
    .option('--sharing <level>', 'public | system | icb | restricted', 'icb')
    .option('--date-order <order>', 'dmy (UK, default) or mdy')
    .option('--sheet <name>', 'XLSX: sheet name or number')
    .option('--wait', 'process it here and now, with a progress bar, and print the final counts')
    .option('--json', 'print the final batch as JSON (for scripts)')
    .action(async (file: string, o: ImportOptions) => {
      await withContext({ withWorkers: o.wait }, async (app) => {
        const { ok } = await runImport(app, file, o);
        process.exitCode = ok ? 0 : 1;
      });
    });

  program
    .command('rejections <batchId>')
    .description('Print the rejected and duplicate rows of a batch as CSV')
    .action(async (batchId: string) => {
      await withContext({}, async (app) => {
        for await (const chunk of app.get(BatchesService).rejectionsCsv(batchId))
          process.stdout.write(chunk);
      });
    });

  program
    .command('places:import <file>')
    .description(
      'Load a full postcode lookup (OS Code-Point Open, ONS Postcode Directory, or postcode,lad CSV), or with --practices an NHS ODS GP practice file (epraccur)',
    )
    .option('--practices', 'the file is an NHS ODS practice file')
    .action(async (file: string, o: { practices?: boolean }) => {
      await withContext({}, async (app) => {
        const svc = app.get(PlacesImportService);
        if (o.practices) {
          const r = await svc.importPractices(file);
          process.stdout.write(
            `Loaded ${r.practices} practices (${r.placed} placed in a district).\n`,
          );
        } else {
          const n = await svc.importPostcodes(file, (k) =>
            process.stderr.write(`\r${k} postcodes`),
          );
          process.stderr.write('\n');
          process.stdout.write(`Loaded ${n} postcodes.\n`);
        }
      });
    });

  program
    .command('demo')
    .description(
      'Start the bank (api and worker) and load a batch of synthetic feedback to search at once',
    )
    .option('--rows <n>', 'how many synthetic comments', '2000')
    .option('--seed <n>', 'generator seed (same seed, same comments)', '1')
    .action(async (o: { rows: string; seed: string }) => {
      const rows = Number(o.rows);
      const seed = Number(o.seed);
      if (!Number.isInteger(rows) || rows < 1 || rows > 1_000_000)
        throw new Error('--rows must be a whole number from 1 to 1000000');
      if (!Number.isInteger(seed)) throw new Error('--seed must be a whole number');
      const config = loadConfig();
      const url = bankUrl(config);
      const owner = await portOwner(config);
      if (owner === 'other')
        throw new Error(
          `Port ${config.PORT} is taken by something that is not the Insight Bank. Stop it, or run the demo on another port: PORT=3001 npm run demo`,
        );
      const say = (line: string) => process.stdout.write(`${line}\n`);
      const load = async (app: INestApplicationContext) => {
        const id = await loadDemoBatch(app, rows, seed);
        say(
          `Loading ${rows} synthetic comments as batch ${id}: ${url}/batches/${id} shows progress.`,
        );
      };
      if (owner === 'bank') {
        // The bank already running does the work; this process only hands it the batch.
        say(`The Insight Bank is already running at ${url}: loading the demo into it.`);
        await withContext({}, load);
        for (const line of demoNextSteps(url, false)) say(line);
        return;
      }
      const app = await runProcess('all');
      await load(app);
      for (const line of demoNextSteps(url, true)) say(line);
      say('Stop the bank with Ctrl-C.');
    });

  registerAccessCommands(program);
  registerSearchCommands(program);

  program
    .command('redact <file>')
    .description(
      'Print each comment de-identified, as JSON lines { text, entities: [{ type, start, end }] }: a text file with one comment per line, or a CSV/XLSX/JSON file with --text-column',
    )
    .option('--text-column <name>', 'the column holding the comments')
    .action(async (file: string, o: { textColumn?: string }) => {
      await runRedact(file, o, (line) => process.stdout.write(`${line}\n`));
    });

  program
    .command('quality:pii')
    .description(
      'Measure PII redaction on the built-in labelled corpus: precision and recall per identifier type',
    )
    .action(() => {
      const report = evaluatePiiCorpus();
      process.stdout.write(`${formatPiiReport(report)}\n`);
    });

  registerTaggerCommands(program);
  registerRetentionCommands(program);
}
