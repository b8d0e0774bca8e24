import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { openDataSource, runMigrations } from '../../src/database/database-bootstrap';
import { BankProcess } from '../support/bank-process';
import { freePort } from '../support/redis-server';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'bin', 'insight-bank.js');

/** `npm run demo` as the README orders it: after `npm start`, on the same settings. */
function demo(
  port: number,
  args = ['demo', '--rows', '40', '--seed', '7'],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), LOG_LEVEL: 'warn' };
  delete env.JEST_WORKER_ID;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('npm run demo while the bank is running', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await openDataSource(process.env.DATABASE_URL!);
    await runMigrations(ds);
  });
  afterAll(() => ds.destroy());

  describe('with the bank answering on its port', () => {
    const bank = new BankProcess();
    beforeAll(() => bank.start({}));
    afterAll(() => bank.stop());

    it('loads the demo into the running bank and says how to sign in', async () => {
      const r = await demo(bank.port);
      expect(r.stderr).not.toContain('EADDRINUSE');
      expect(r.status).toBe(0);
      const url = `http://localhost:${bank.port}`;
      expect(r.stdout).toContain(`The Insight Bank is already running at ${url}`);
      const id = /as batch ([0-9a-f-]{36})/.exec(r.stdout)?.[1];
      expect(id).toBeDefined();
      const rows = await ds.query<Array<{ title: string; file_name: string }>>(
        'SELECT title, file_name FROM batch WHERE id = $1',
        [id],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].file_name).toBe('synthetic-feedback-seed7-40.csv');
      expect(r.stdout).toContain(`${url}/sign-in`);
      expect(r.stdout).toContain(
        'npx insight-bank users:create --email you@example.nhs.uk --role admin --org demo-synthetic',
      );
      // The bank it loaded into is still up.
      expect((await fetch(`${bank.url}/health`)).status).toBe(200);
    });
  });

  describe('with something else on the port', () => {
    let server: http.Server;
    let port: number;
    beforeAll(async () => {
      port = await freePort();
      server = http.createServer((_req, res) => res.writeHead(404).end('not here'));
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('says the port is taken and what to do, without a stack trace', async () => {
      const r = await demo(port);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`Port ${port} is taken by something that is not the Insight Bank`);
      expect(r.stderr).toContain('PORT=3001 npm run demo');
      expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    });

    it('start, too, names the taken port instead of failing with EADDRINUSE', async () => {
      const r = await demo(port, ['start', '--role', 'api']);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`Port ${port} is already in use`);
      expect(r.stderr).not.toContain('EADDRINUSE');
    });
  });
});
