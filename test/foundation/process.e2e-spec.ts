import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isAlive } from '../../src/search/meili/meili-launcher';
import { freePort } from '../support/redis-server';
import { waitFor } from '../support/wait-for';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'bin', 'insight-bank.js');

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.MEILI_URL;
  delete env.MEILI_MASTER_KEY;
  delete env.JEST_WORKER_ID;
  return env;
}

describe('the bank as a newcomer starts it (npm start)', () => {
  let child: ChildProcess | undefined;
  let dataDir: string;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ib-meili-'));
  });
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is healthy within 60 s with its own Meilisearch, and SIGTERM leaves no process behind within 10 s', async () => {
    const port = await freePort();
    let output = '';
    child = spawn(process.execPath, [cli, 'start'], {
      cwd: root,
      env: cleanEnv({
        PORT: String(port),
        MEILI_DATA_DIR: dataDir,
        MEILI_PORT: String(await freePort()),
        LOG_LEVEL: 'warn',
        NODE_ENV: 'development',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));

    const started = Date.now();
    const health = await waitFor(
      'GET /health to report all three services up',
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        return res.status === 200
          ? ((await res.json()) as { details: Record<string, { status: string }> })
          : undefined;
      },
      60000,
      250,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${output}`);
    });
    expect(Date.now() - started).toBeLessThan(60000);
    expect(health.details).toEqual({
      postgres: { status: 'up' },
      redis: { status: 'up' },
      meilisearch: { status: 'up' },
    });
    expect(output).toContain(`http://localhost:${port}`);

    const state = JSON.parse(fs.readFileSync(path.join(dataDir, 'instance.json'), 'utf8')) as {
      pid: number;
    };
    expect(isAlive(state.pid)).toBe(true);
    expect((fs.statSync(path.join(dataDir, 'master.key')).mode & 0o777).toString(8)).toBe('600');

    const stopAt = Date.now();
    const exited = new Promise<number | null>((resolve) =>
      child!.once('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    const code = await exited;
    await waitFor(
      'the bundled Meilisearch to exit',
      () => Promise.resolve(!isAlive(state.pid)),
      10000 - (Date.now() - stopAt),
      50,
    );
    expect(Date.now() - stopAt).toBeLessThan(10000);
    expect(code).toBe(0);
  }, 90000);

  it('refuses to start with PORT=abc, naming PORT', () => {
    const r = spawnSync(process.execPath, [cli, 'start'], {
      cwd: root,
      env: cleanEnv({ PORT: 'abc', REDIS_URL: 'http://wrong' }),
      encoding: 'utf8',
      timeout: 60000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('PORT');
    // every bad variable is named in the same message
    expect(r.stderr).toContain('REDIS_URL');
  });
});
