import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { openDataSource, runMigrations } from '../../src/database/database-bootstrap';
import { ALL_QUEUES, JOB_NAMES, QUEUE_NAMES } from '../../src/queues/queue-names';
import { redisOptionsFromUrl } from '../../src/queues/redis-options';
import { RETENTION_SCHEDULER_ID } from '../../src/retention/retention-schedule';
import { RETRAIN_SCHEDULER_ID } from '../../src/taxonomy/retrain-schedule';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'bin', 'insight-bank.js');

function run(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...extraEnv };
  delete env.JEST_WORKER_ID;
  return spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 120000,
  });
}

describe('insight-bank CLI: organisations and import', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ib-cli-'));
  const code = `cli-${Date.now().toString(36)}`;
  let ds: DataSource;

  beforeAll(async () => {
    // This suite may be the first to use the database: create and migrate it as the app would.
    ds = await openDataSource(process.env.DATABASE_URL!);
    await runMigrations(ds);
  });
  afterAll(async () => {
    await ds.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('orgs:create adds an organisation once and says why a second time fails', () => {
    const first = run([
      'orgs:create',
      '--code',
      code,
      '--name',
      'Healthwatch Test',
      '--kind',
      'healthwatch',
    ]);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`Created organisation ${code}`);
    const again = run([
      'orgs:create',
      '--code',
      code,
      '--name',
      'Healthwatch Test',
      '--kind',
      'healthwatch',
    ]);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain(`Organisation ${code} already exists`);
    const bad = run(['orgs:create', '--code', 'x y', '--name', 'N', '--kind', 'pub']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/code must be/);
    expect(bad.stderr).toMatch(/kind must be one of/);
    expect(run(['orgs:list']).stdout).toContain(`${code}\thealthwatch\tHealthwatch Test`);
  });

  it('import --wait --json processes the file and prints the final batch', () => {
    const file = path.join(dir, 'cards.csv');
    fs.writeFileSync(
      file,
      'comment,postcode\nThe pharmacist in Deal explained my new tablets,CT14 6AB\nNo parking spaces again,ME10\n-,ME10\n',
    );
    const r = run(['import', file, '--org', code, '--source', 'roadshow', '--wait', '--json']);
    expect(r.status).toBe(0);
    const batch = JSON.parse(r.stdout) as {
      status: string;
      counts: Record<string, number>;
      sourceType: string;
    };
    expect(batch.status).toBe('complete');
    expect(batch.sourceType).toBe('roadshow');
    expect(batch.counts).toEqual({
      received: 3,
      accepted: 2,
      updated: 0,
      rejected: 1,
      duplicates: 0,
      indexed: 2,
    });
    expect(fs.existsSync(file)).toBe(true); // the user's file is copied, never moved
  });

  it("import --wait runs the workers but leaves the worker processes' schedules alone", async () => {
    // Its own queue prefix: the schedules below must not reach this suite's other workers.
    const prefix = `${process.env.QUEUE_PREFIX}-schedules`;
    const maintenance = new Queue(QUEUE_NAMES.maintenance, {
      connection: redisOptionsFromUrl(process.env.REDIS_URL!),
      prefix,
    });
    const HOUR = 3_600_000;
    const later = Date.now() + 24 * HOUR; // no run is due while the command works
    try {
      await maintenance.upsertJobScheduler(
        RETRAIN_SCHEDULER_ID,
        { every: 12 * HOUR, startDate: later },
        { name: JOB_NAMES.retrain, data: { model: 'kept-themes' } },
      );
      await maintenance.upsertJobScheduler(
        RETENTION_SCHEDULER_ID,
        { every: 6 * HOUR, startDate: later },
        { name: JOB_NAMES.retention, data: {} },
      );
      const file = path.join(dir, 'schedules.csv');
      fs.writeFileSync(file, 'comment\nThe receptionist found me an earlier slot\n');
      // This shell has no retrain model and the default retention interval (24 hours).
      const r = run(['import', file, '--org', code, '--source', 'survey', '--wait', '--json'], {
        QUEUE_PREFIX: prefix,
        TAGGER_RETRAIN_MODEL: '',
        RETENTION_SWEEP_INTERVAL_HOURS: '24',
      });
      expect(r.status).toBe(0);
      expect((JSON.parse(r.stdout) as { status: string }).status).toBe('complete');
      expect(await maintenance.getJobScheduler(RETRAIN_SCHEDULER_ID)).toMatchObject({
        every: 12 * HOUR,
        template: { data: { model: 'kept-themes' } },
      });
      expect(await maintenance.getJobScheduler(RETENTION_SCHEDULER_ID)).toMatchObject({
        every: 6 * HOUR,
      });
    } finally {
      await maintenance.close();
      for (const name of ALL_QUEUES) {
        const q = new Queue(name, {
          connection: redisOptionsFromUrl(process.env.REDIS_URL!),
          prefix,
        });
        await q.obliterate({ force: true });
        await q.close();
      }
    }
  });

  it('import of the same file again says so and adds nothing', () => {
    const r = run(['import', path.join(dir, 'cards.csv'), '--org', code, '--source', 'roadshow']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/already uploaded by this organisation/);
  });

  it('import exits non-zero with a clear message for bad input', async () => {
    const noText = path.join(dir, 'no-text.csv');
    fs.writeFileSync(noText, 'age,sex\n45,F\n');
    const a = run(['import', noText, '--org', code, '--source', 'survey', '--wait']);
    expect(a.status).not.toBe(0);
    expect(a.stderr).toMatch(/comment|text column/i);

    const b = run(['import', noText, '--org', code, '--source', 'gossip']);
    expect(b.status).not.toBe(0);
    expect(b.stderr).toContain('--source');

    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(
      broken,
      `[${Array.from({ length: 120 }, (_, i) => JSON.stringify({ comment: `Row ${i} text` })).join(',')},{"comment": ]`,
    );
    const c = run(['import', broken, '--org', code, '--source', 'survey', '--wait', '--json']);
    expect(c.status).toBe(1);
    const failed = JSON.parse(c.stdout) as { status: string; errorMessage: string; id: string };
    expect(failed.status).toBe('failed');
    expect(failed.errorMessage).toMatch(/row 121/i);
    const [left] = await ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM insight WHERE batch_id = $1`,
      [failed.id],
    );
    expect(left.n).toBe(0);
  });
});
