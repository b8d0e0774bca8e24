import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'bin', 'insight-bank.js');

function run(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
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
    ds = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!)).initialize();
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
      rejected: 1,
      duplicates: 0,
      indexed: 2,
    });
    expect(fs.existsSync(file)).toBe(true); // the user's file is copied, never moved
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
