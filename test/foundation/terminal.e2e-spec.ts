import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort } from '../support/redis-server';
import { waitFor } from '../support/wait-for';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'bin', 'insight-bank.js');
const READY = /Insight Bank is running at http:\/\/localhost:(\d+)/;

/** The test's database, Redis prefix and Meilisearch, as a person's shell would pass them on. */
function bankEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', ...extra };
  delete env.LOG_LEVEL; // the default is what is under test
  delete env.JEST_WORKER_ID;
  return env;
}

/** Process ids of every process below `pid`. */
function descendants(pid: number): Array<{ pid: number; args: string }> {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] }));
  const found: Array<{ pid: number; args: string }> = [];
  const walk = (p: number): void => {
    for (const r of rows.filter((x) => x.ppid === p)) {
      found.push({ pid: r.pid, args: r.args });
      walk(r.pid);
    }
  };
  walk(pid);
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A started process with everything it printed so far. */
class Started {
  output = '';
  readonly exited: Promise<number | null>;
  constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  ready(): Promise<string> {
    return waitFor(
      'the bank to print its URL',
      () => Promise.resolve(READY.test(this.output) && this.output),
      120000,
      100,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${this.output}`);
    });
  }

  /** The node process running the bank (npm, sh or script may sit above it). */
  bankPid(): number {
    if (this.child.spawnfile === process.execPath) return this.child.pid!;
    const bank = descendants(this.child.pid!).find((p) =>
      /^\S*node\s.*insight-bank\.js start/.test(p.args),
    );
    if (!bank) throw new Error(`no bank process below ${this.child.pid}`);
    return bank.pid;
  }

  kill(): void {
    for (const p of descendants(this.child.pid!).reverse())
      if (alive(p.pid)) process.kill(p.pid, 'SIGKILL');
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

describe('the bank at a newcomer’s terminal', () => {
  let running: Started | undefined;
  afterEach(() => {
    running?.kill();
    running = undefined;
  });

  it('prints its version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    const r = spawnSync(process.execPath, [cli, '--version'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('in a terminal: readable lines at a calm level, the URL last, and a clean stop on Ctrl-C', async () => {
    const port = await freePort();
    // `script` gives the bank a pseudo-terminal, as a person's shell does.
    running = new Started(
      spawn('script', ['-qfec', `${process.execPath} ${cli} start`, '/dev/null'], {
        cwd: root,
        env: bankEnv({ PORT: String(port) }),
        stdio: ['pipe', 'pipe', 'pipe'],
      }),
    );
    await running.ready();
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    expect(res.status).toBe(200);
    const lines = running.output
      .replace(/\r/g, '')
      .split('\n')
      .filter((l) => l.trim() !== '');
    expect(lines.filter((l) => l.trimStart().startsWith('{'))).toEqual([]);
    expect(lines.length).toBeLessThanOrEqual(5);
    expect(lines[lines.length - 1]).toMatch(READY);

    const bank = running.bankPid();
    const stopAt = Date.now();
    process.kill(bank, 'SIGINT');
    await waitFor('the bank to stop', () => Promise.resolve(!alive(bank)), 15000, 50);
    expect(Date.now() - stopAt).toBeLessThan(15000);
    expect(running.output).toContain('The Insight Bank stopped.');
  }, 180000);

  it('with its output redirected: JSON lines, so a log collector can read them', async () => {
    const port = await freePort();
    running = new Started(
      spawn(process.execPath, [cli, 'start'], {
        cwd: root,
        env: bankEnv({ PORT: String(port) }),
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    await running.ready();
    const json = running.output.split('\n').filter((l) => l.startsWith('{'));
    expect(json.length).toBeGreaterThan(0);
    expect(JSON.parse(json[0])).toMatchObject({ level: 30 });
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
  }, 180000);

  for (const target of ['npm', 'node'] as const) {
    it(`npm start stops cleanly when SIGINT goes to the ${target} process alone`, async () => {
      const port = await freePort();
      running = new Started(
        spawn('npm', ['start'], {
          cwd: root,
          env: bankEnv({ PORT: String(port) }),
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      );
      await running.ready();
      const npm = running.child.pid!;
      const bank = running.bankPid();
      const stopAt = Date.now();
      process.kill(target === 'npm' ? npm : bank, 'SIGINT');
      await waitFor(
        'the bank and npm to exit',
        () => Promise.resolve(!alive(bank) && running!.child.exitCode !== null),
        15000,
        50,
      ).catch((e: Error) => {
        throw new Error(`${e.message}\n${running!.output.slice(-2000)}`);
      });
      expect(Date.now() - stopAt).toBeLessThan(15000);
      expect(running.output).toContain('The Insight Bank stopped.');
      expect(running.child.exitCode).toBe(0);
    }, 180000);
  }
});
