import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { isAlive } from '../../src/search/meili/meili-launcher';
import { keyOf } from '../support/auth';
import { BankProcess } from '../support/bank-process';
import { freePort } from '../support/redis-server';
import { createTestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const root = path.resolve(__dirname, '..', '..');

function parentOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/**
 * api and worker as separate processes sharing the bundled Meilisearch (no MEILI_URL). The worker
 * started it; stopping the worker must not take search down for the api, and if the server goes
 * anyway the api brings it back by itself.
 */
describe('the bundled Meilisearch shared by an api and a worker', () => {
  let app: INestApplication;
  let worker: ChildProcess | undefined;
  let workerOutput = '';
  const api = new BankProcess();
  let dataDir: string;
  let env: Record<string, string>;
  const meiliPids = new Set<number>();

  const instancePid = (): number | undefined => {
    try {
      const { pid } = JSON.parse(fs.readFileSync(path.join(dataDir, 'instance.json'), 'utf8')) as {
        pid: number;
      };
      meiliPids.add(pid);
      return pid;
    } catch {
      return undefined;
    }
  };

  beforeAll(async () => {
    // Migrations and an API key, through this test's database (and the run's shared Meilisearch).
    app = await createTestApp('api');
    // A Meilisearch of this suite's own, on its own folder and port: it is stopped here on purpose.
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ib-meili-shared-'));
    env = {
      MEILI_URL: '',
      MEILI_MASTER_KEY: '',
      MEILI_DATA_DIR: dataDir,
      MEILI_PORT: String(await freePort()),
      MEILI_INDEX_PREFIX: `${process.env.MEILI_INDEX_PREFIX ?? ''}shared_`,
      SWEEP_INTERVAL_MS: '3600000',
    };
  }, 120_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await api.stop();
    await app?.close();
    // Whatever Meilisearch this suite's processes started must be gone (the api stops its own).
    await waitFor(
      'the bundled Meilisearch to stop',
      () => Promise.resolve([...meiliPids].every((p) => !isAlive(p))),
      10_000,
      50,
    ).catch((e: Error) => {
      for (const p of meiliPids) if (isAlive(p)) process.kill(p, 'SIGKILL');
      throw e;
    });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  let first = 0;
  const search = async (): Promise<number> => {
    const res = await fetch(`${api.url}/api/v1/insights/search?q=parking`, {
      headers: { authorization: `Bearer ${keyOf(app)}` },
      signal: AbortSignal.timeout(5_000),
    });
    await res.arrayBuffer();
    return res.status;
  };
  const health = async (): Promise<number> => {
    const res = await fetch(`${api.url}/health`, { signal: AbortSignal.timeout(5_000) });
    await res.arrayBuffer();
    return res.status;
  };

  it('keeps answering searches through the api while the worker that started it stops', async () => {
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      LOG_LEVEL: 'warn',
      RUN_MIGRATIONS: 'false',
      TS_NODE_TRANSPILE_ONLY: 'true',
      ...env,
    };
    delete childEnv.JEST_WORKER_ID;
    delete childEnv.MEILI_URL;
    delete childEnv.MEILI_MASTER_KEY;
    worker = spawn(
      process.execPath,
      ['-r', 'ts-node/register', path.join(root, 'src', 'worker.ts')],
      { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    worker.stdout?.on('data', (d: Buffer) => (workerOutput += d.toString()));
    worker.stderr?.on('data', (d: Buffer) => (workerOutput += d.toString()));
    const workerPid = worker.pid!;
    first = await waitFor(
      'the worker to start the bundled Meilisearch',
      () => {
        if (worker!.exitCode !== null) throw new Error(`the worker exited:\n${workerOutput}`);
        const pid = instancePid();
        return Promise.resolve(pid && isAlive(pid) ? pid : undefined);
      },
      120_000,
      100,
    );
    expect(parentOf(first)).toBe(workerPid);

    await api.start({ ...env, MEILI_URL: '', MEILI_MASTER_KEY: '' });
    expect(await search()).toBe(200);
    expect(await health()).toBe(200);

    // Search all through the worker's shutdown and a second after it.
    let exitedAt = 0;
    const exited = new Promise<void>((resolve) =>
      worker!.once('exit', () => {
        exitedAt = Date.now();
        resolve();
      }),
    );
    const statuses: number[] = [];
    const searching = (async () => {
      while (!exitedAt || Date.now() - exitedAt < 1_000) {
        statuses.push(await search().catch(() => 0));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    worker.kill('SIGTERM');
    await exited;
    await searching;

    expect(worker.exitCode).toBe(0);
    expect(statuses.length).toBeGreaterThan(5);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(await health()).toBe(200);
    // The same server, left running for the api.
    expect(isAlive(first)).toBe(true);
    expect(instancePid()).toBe(first);
  }, 240_000);

  it('is started again by the api when it has gone, and /health is 200 again without a restart', async () => {
    expect(first).toBeGreaterThan(0);
    // The server this suite's worker started; it crashes.
    process.kill(first, 'SIGKILL');
    const goneAt = Date.now();
    await waitFor('the first Meilisearch to exit', () => Promise.resolve(!isAlive(first)), 5_000);

    await waitFor(
      'a search through the api to answer 200',
      async () => (await search().catch(() => 0)) === 200,
      10_000,
      100,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${api.output}`);
    });
    await waitFor(
      '/health to be 200',
      async () => (await health().catch(() => 0)) === 200,
      Math.max(10_000 - (Date.now() - goneAt), 100),
      100,
    );
    expect(Date.now() - goneAt).toBeLessThan(10_000);

    // Started again by the api, on the same data folder and port, so the URL stays the same.
    const second = await waitFor(
      'the restarted Meilisearch to be recorded',
      () => {
        const pid = instancePid();
        return Promise.resolve(
          pid !== undefined && pid !== first && isAlive(pid) ? pid : undefined,
        );
      },
      10_000,
      50,
    );
    expect(parentOf(second)).toBe(api.pid);
    expect(fs.readFileSync(path.join(dataDir, 'instance.json'), 'utf8')).toContain(
      `127.0.0.1:${env.MEILI_PORT}`,
    );
  }, 60_000);
});
