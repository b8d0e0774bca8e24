import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { freePort } from './redis-server';
import { waitFor } from './wait-for';

const root = path.resolve(__dirname, '..', '..');

/**
 * The api in its own Node process, on this test's database, Redis and index, with extra settings.
 * It runs the TypeScript sources through ts-node (no build step), outside Jest's module system, so
 * code that loads ES modules at run time (openid-client) behaves as in production.
 */
export class BankProcess {
  private child?: ChildProcess;
  output = '';
  port = 0;

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(env: Record<string, string>, port?: number): Promise<void> {
    this.port = port ?? (await freePort());
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      LOG_LEVEL: 'warn',
      RUN_MIGRATIONS: 'false',
      TS_NODE_TRANSPILE_ONLY: 'true',
      ...env,
      PORT: String(this.port),
      HOST: '127.0.0.1',
    };
    delete childEnv.JEST_WORKER_ID;
    this.child = spawn(
      process.execPath,
      ['-r', 'ts-node/register', path.join(root, 'src', 'main.ts')],
      { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    const child = this.child;
    await waitFor(
      'the api process to answer',
      async () => {
        if (child.exitCode !== null) return 'exited';
        const res = await fetch(`${this.url}/api/v1/auth/session`);
        return res.status === 200 ? 'ready' : undefined;
      },
      120000,
      250,
    )
      .catch((e: Error) => {
        throw new Error(`${e.message}\n${this.output}`);
      })
      .then((how) => {
        if (how === 'exited') throw new Error(`The api process exited:\n${this.output}`);
      });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}
