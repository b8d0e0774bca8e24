import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'bin', 'insight-bank.js');

/** A newcomer's typo in two settings, as the issue reported it. */
function run(command: string): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: 'abc', REDIS_URL: 'nope' };
  delete env.JEST_WORKER_ID;
  const r = spawnSync(process.execPath, [cli, command], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 120000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$/m;

describe('a bad setting, as a newcomer meets it', () => {
  it('doctor reports every bad variable in its own ✗ / Fix format and exits 1', () => {
    const r = run('doctor');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('✗ PORT must be a whole number between 1 and 65535\n');
    expect(r.stdout).toContain('✗ REDIS_URL must be a redis:// URL, e.g. redis://127.0.0.1:6379\n');
    expect(r.stdout).toMatch(/✗ PORT .*\n {2}Fix: set PORT .*default \(3000\)/);
    expect(r.stdout).toMatch(/✗ REDIS_URL .*\n {2}Fix: set REDIS_URL .*default \(redis:\/\/127/);
    expect(r.stdout).not.toContain('must not be greater than');
    expect(`${r.stdout}${r.stderr}`).not.toContain('ConfigValidationError');
    expect(`${r.stdout}${r.stderr}`).not.toMatch(STACK_LINE);
  });

  it('start lists every bad variable, with no stack trace, and exits 1', () => {
    const r = run('start');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('2 settings are wrong');
    expect(r.stderr).toContain('✗ PORT must be a whole number between 1 and 65535');
    expect(r.stderr).toContain('✗ REDIS_URL must be a redis:// URL');
    expect(`${r.stdout}${r.stderr}`).not.toContain('ConfigValidationError');
    expect(`${r.stdout}${r.stderr}`).not.toMatch(STACK_LINE);
  });

  it('any other command says the same, not a stack trace from inside the framework', () => {
    const r = run('orgs:list');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('✗ PORT must be a whole number');
    expect(r.stderr).toContain('✗ REDIS_URL must be a redis:// URL');
    expect(`${r.stdout}${r.stderr}`).not.toMatch(STACK_LINE);
  });
});
