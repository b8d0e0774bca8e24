import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

/** A real worker process (`insight-bank start --role worker`) sharing this test's database, queues and index. */
export class WorkerProcess {
  private child?: ChildProcess;
  output = '';

  constructor(private readonly env: Record<string, string> = {}) {}

  start(): void {
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...this.env };
    delete env.JEST_WORKER_ID;
    this.child = spawn(
      process.execPath,
      [path.join(root, 'bin', 'insight-bank.js'), 'start', '--role', 'worker'],
      {
        cwd: root,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }
}
