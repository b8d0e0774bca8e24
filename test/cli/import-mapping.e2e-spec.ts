import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { openDataSource, runMigrations } from '../../src/database/database-bootstrap';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'bin', 'insight-bank.js');

function run(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  delete env.JEST_WORKER_ID;
  return spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 240_000,
  });
}

jest.setTimeout(300_000);

describe('insight-bank import: how the columns were read', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ib-cli-map-'));
  const code = `clim-${Date.now().toString(36)}`;
  let ds: DataSource;

  beforeAll(async () => {
    ds = await openDataSource(process.env.DATABASE_URL!);
    await runMigrations(ds);
    const made = run(['orgs:create', '--code', code, '--name', 'Mapping Test', '--kind', 'vcse']);
    expect(made.status).toBe(0);
  });
  afterAll(async () => {
    await ds.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads a row_index column as the reference and prints which columns were used for what', () => {
    const file = path.join(dir, 'cards.csv');
    fs.writeFileSync(
      file,
      'row_index,comment,ward,staff colour\n1,The night staff were patient with my dad,Ward 3,blue\n2,Nobody told us about parking,Ward 5,green\n',
    );
    const r = run(['import', file, '--org', code, '--source', 'roadshow', '--wait']);
    expect(r.status).toBe(0);
    const out = r.stdout;
    expect(out).toContain('Columns read:');
    expect(out).toContain('"row_index" -> Reference (row id)');
    expect(out).toContain('"comment" -> Comment');
    expect(out).toContain('"ward" -> Service');
    expect(out).toContain('Columns not used (kept as extra details): "staff colour"');
    expect(out).toMatch(/Not found: no date column/);
    expect(out).not.toMatch(/Not found: no reference column/);
    // Near the end, after the counts.
    expect(out.indexOf('Columns read:')).toBeGreaterThan(out.indexOf('received 2, accepted 2'));
  });

  it('says so when no reference column was found', () => {
    const file = path.join(dir, 'no-ref.csv');
    fs.writeFileSync(file, 'ident,comment\na,The GP was lovely\nb,The bus was late again\n');
    const r = run(['import', file, '--org', code, '--source', 'roadshow', '--wait']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Columns not used (kept as extra details): "ident"');
    expect(r.stdout).toMatch(
      /Not found: no reference column: a corrected file uploaded again cannot replace these comments/,
    );
  });

  it("applies a partner's value map (--value-map) and prints the answers it could not place", async () => {
    const file = path.join(dir, 'faith-codes.csv');
    fs.writeFileSync(
      file,
      'ref,comment,religion,carer\nF1,The GP listened to me,7,C\nF2,Parking was hard,8,X\nF3,Kind reception staff,Q9,C\n',
    );
    const r = run([
      'import',
      file,
      '--org',
      code,
      '--source',
      'roadshow',
      '--value-map',
      '{"religion":{"7":"Sikh","8":"no religion"},"carer":{"c":"yes","x":"no"}}',
      '--wait',
    ]);
    expect({ status: r.status, stderr: r.stderr }).toMatchObject({
      status: 0,
    });
    expect(r.stdout).toContain(
      'Answers not placed (counted as not known; map codes with --value-map):',
    );
    expect(r.stdout).toContain('religion: "Q9" (1)');
    const id = /Batch ([0-9a-f-]{36}): complete/.exec(r.stdout)![1];
    const rows = await ds.query<Array<{ religion: string; carer: string }>>(
      `SELECT religion, carer FROM insight WHERE batch_id = $1 ORDER BY row_number`,
      [id],
    );
    expect(rows).toEqual([
      { religion: 'sikh', carer: 'yes' },
      { religion: 'no_religion', carer: 'no' },
      { religion: 'unknown', carer: 'yes' },
    ]);
  });

  it('refuses a bad --value-map naming the problem, storing nothing', async () => {
    const file = path.join(dir, 'faith-bad.csv');
    fs.writeFileSync(file, 'ref,comment,religion\nG1,The GP listened to me,7\n');
    const r = run([
      'import',
      file,
      '--org',
      code,
      '--source',
      'roadshow',
      '--value-map',
      '{"religion":{"7":"Sikhh"}}',
    ]);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain(
      'valueMap.religion."7": "Sikhh" is not an answer the bank can place for religion',
    );
    const [{ n }] = await ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM batch WHERE file_name = 'faith-bad.csv'`,
    );
    expect(n).toBe(0);
  });

  it('keeps column names de-identified: a file without a header row has a comment there', async () => {
    const file = path.join(dir, 'no-header.csv');
    fs.writeFileSync(
      file,
      'r-1,Ring my son on 07700 900123 about the discharge\nr-2,The discharge lounge was cold\n',
    );
    const r = run([
      'import',
      file,
      '--org',
      code,
      '--source',
      'roadshow',
      '--profile',
      'generic',
      '--column-map',
      '{"text":"Ring my son on 07700 900123 about the discharge"}',
      '--wait',
      '--json',
    ]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    const batch = JSON.parse(r.stdout) as {
      id: string;
      mapping: { mapped: Array<{ column: string; field: string }> };
    };
    expect(batch.mapping.mapped).toContainEqual({
      column: 'Ring my son on [PHONE] about the discharge',
      field: 'text',
    });
    const [row] = await ds.query<Array<{ mapping: unknown }>>(
      `SELECT mapping FROM batch WHERE id = $1`,
      [batch.id],
    );
    expect(JSON.stringify(row.mapping)).not.toContain('07700');
    expect(r.stdout).not.toContain('07700 900123');
  });
});
