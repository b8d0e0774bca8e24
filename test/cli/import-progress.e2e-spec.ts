import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { openDataSource, runMigrations } from '../../src/database/database-bootstrap';
import { generateCsv } from '../../src/demo/feedback.generator';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'bin', 'insight-bank.js');

function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  delete env.JEST_WORKER_ID;
  return env;
}

function run(
  command: string,
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: cliEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const LINE = /^\d\d:\d\d:\d\d (\w+) (\d+)% \| (\d+) rows read \| \d+ rows\/s \| ETA (.+)$/;

describe('insight-bank import --wait: progress', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ib-progress-'));
  const org = `progress-${Date.now().toString(36)}`;
  let ds: DataSource;

  beforeAll(async () => {
    ds = await openDataSource(process.env.DATABASE_URL!);
    await runMigrations(ds);
    const r = spawnSync(
      process.execPath,
      [
        cli,
        'orgs:create',
        '--code',
        org,
        '--name',
        'Progress test',
        '--kind',
        'other',
        '--trusted',
      ],
      { cwd: root, env: cliEnv(), encoding: 'utf8' },
    );
    expect(r.stdout).toContain(`Created organisation ${org}`);
  });
  afterAll(async () => {
    await ds.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A file big enough to take several seconds, different for each import (no duplicate file). */
  async function feedbackFile(name: string, seed: number): Promise<string> {
    const file = path.join(dir, name);
    await pipeline(generateCsv({ seed, count: 12_000 }), fs.createWriteStream(file));
    return file;
  }

  it('with the output redirected prints a line every few seconds, rising to 100 %', async () => {
    const file = await feedbackFile('redirected.csv', 11);
    const r = await run(process.execPath, [
      cli,
      'import',
      file,
      '--org',
      org,
      '--source',
      'survey',
      '--wait',
    ]);
    expect(r.status).toBe(0);
    const lines = r.stderr
      .split('\n')
      .map((l) => LINE.exec(l))
      .filter((m): m is RegExpExecArray => m !== null);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const percents = lines.map((m) => Number(m[2]));
    expect([...percents].sort((a, b) => a - b)).toEqual(percents);
    const last = lines[lines.length - 1];
    expect(last[1]).toBe('complete');
    expect(last[2]).toBe('100');
    expect(Number(last[3])).toBe(12_000);
    // Once the whole file is read, the figure is no longer 0 (it was, until enrichment began).
    for (const m of lines.filter((l) => l[1] === 'enriching' || l[1] === 'indexing'))
      expect(Number(m[2])).toBeGreaterThanOrEqual(20);
    for (const m of lines) expect(m[4]).toMatch(/^(--|\d+ s|\d+ min \d\d s|\d+ h \d\d min)$/);
    expect(r.stdout).toContain('received 12000');
  }, 300_000);

  it('in a terminal draws the bar with a readable ETA, never "NF"', async () => {
    const file = await feedbackFile('terminal.csv', 12);
    // `script` gives the import a pseudo-terminal, as a person's shell does.
    const r = await run('script', [
      '-qfec',
      `${process.execPath} ${cli} import ${file} --org ${org} --source survey --wait`,
      '/dev/null',
    ]);
    expect(r.status).toBe(0);
    const screen = r.stdout.replace(
      new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g'),
      '',
    );
    expect(screen).toMatch(/complete {2}\|[^|]+\| 100% \| 12000 rows/);
    expect(screen).toMatch(/ETA (--|\d+ s|\d+ min \d\d s)/);
    expect(screen).not.toMatch(/ETA NF|ETA NaN|Infinity/);
    const shown = [...screen.matchAll(/\| (\d+)% \|/g)].map((m) => Number(m[1]));
    expect(shown.some((p) => p > 0 && p < 100)).toBe(true);
  }, 300_000);
});
