import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { TestOidcProvider } from '../support/oidc-provider';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'bin', 'insight-bank.js');

describe('insight-bank doctor', () => {
  it('reports the three services up on a working machine', () => {
    const r = spawnSync(process.execPath, [cli, 'doctor'], {
      cwd: root,
      env: process.env,
      encoding: 'utf8',
      timeout: 60000,
    });
    // The test database exists once another suite has run; alone, the server is found up.
    expect(r.stdout).toMatch(/✓ PostgreSQL: (PostgreSQL \d+|server at 127\.0\.0\.1:5432 is up)/);
    expect(r.stdout).toMatch(/✓ Redis: Redis \d/);
    expect(r.stdout).toMatch(/✓ Meilisearch: Meilisearch 1\.21/);
    expect(r.status).toBe(0);
  });

  it('says what is wrong and how to fix it when a service is unreachable', () => {
    const r = spawnSync(process.execPath, [cli, 'doctor'], {
      cwd: root,
      env: {
        ...process.env,
        REDIS_URL: 'redis://127.0.0.1:1',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x',
      },
      encoding: 'utf8',
      timeout: 60000,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/✗ Redis: cannot connect to 127\.0\.0\.1:1/);
    expect(r.stdout).toMatch(/✗ PostgreSQL: cannot connect to 127\.0\.0\.1:1/);
    expect(r.stdout).toContain('Fix: Start Redis');
  });

  describe('with OIDC sign-in configured', () => {
    let idp: TestOidcProvider;
    beforeAll(async () => {
      idp = await TestOidcProvider.start('doctor-client', 'doctor-secret');
    });
    afterAll(() => idp.close());

    /** Asynchronous, so the identity provider in this process can answer the doctor. */
    const doctor = (
      env: Record<string, string>,
    ): Promise<{ status: number | null; stdout: string }> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [cli, 'doctor'], {
          cwd: root,
          env: {
            ...process.env,
            OIDC_CLIENT_ID: 'doctor-client',
            OIDC_CLIENT_SECRET: 'doctor-secret',
            OIDC_REDIRECT_URL: 'http://127.0.0.1:3000/auth/oidc/callback',
            OIDC_ROLE_MAP: 'InsightBank.Admin=admin',
            OIDC_DEFAULT_ORG: 'icb',
            ...env,
          },
        });
        let stdout = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.on('error', reject);
        child.on('close', (status) => {
          clearTimeout(timer);
          resolve({ status, stdout });
        });
      });

    it('checks that the provider answers discovery', async () => {
      const r = await doctor({ OIDC_ISSUER: idp.issuer });
      expect(r.stdout).toContain(`✓ OIDC: provider ${idp.issuer}/ answered`);
      expect(r.status).toBe(0);
    });

    it('says so, with a fix, when the provider cannot be reached', async () => {
      const r = await doctor({ OIDC_ISSUER: 'http://127.0.0.1:1' });
      expect(r.stdout).toMatch(/✗ OIDC: provider http:\/\/127\.0\.0\.1:1\/ could not be reached/);
      expect(r.stdout).toContain('Fix: Check OIDC_ISSUER');
      expect(r.status).toBe(1);
    });
  });
});
