import type { INestApplication } from '@nestjs/common';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { createTestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'bin', 'insight-bank.js');

function run(args: string[], input?: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  delete env.JEST_WORKER_ID;
  return spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    env,
    input,
    encoding: 'utf8',
    timeout: 120000,
  });
}

describe('insight-bank CLI: users and API keys', () => {
  const org = `cli-acc-${Date.now().toString(36)}`;
  const email = `${org}@example.nhs.uk`;
  let app: INestApplication<App>;

  beforeAll(async () => {
    app = await createTestApp('api');
    const made = run(['orgs:create', '--code', org, '--name', 'CLI Test', '--kind', 'healthwatch']);
    expect(made.status).toBe(0);
  });
  afterAll(async () => {
    await app.close();
  });

  const me = (key: string) =>
    request(app.getHttpServer()).get('/api/v1/auth/me').set('authorization', `Bearer ${key}`);

  it('keys:create prints a working key once; keys:revoke stops it at once; both are audited', async () => {
    const created = run(['keys:create', '--org', org, '--role', 'partner', '--name', 'nightly']);
    expect(created.status).toBe(0);
    const key = /Key \(shown once, keep it secret\): (ib_[0-9a-f]{8}_[A-Za-z0-9_-]{43})/.exec(
      created.stdout,
    )?.[1];
    expect(key).toBeDefined();
    const prefix = key!.slice(0, 11);

    const ok = await me(key!);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      kind: 'api_key',
      label: `key:${prefix}`,
      role: 'partner',
      organisation: org,
    });

    const ds = app.get(DataSource);
    const [stored] = await ds.query<Array<{ secret_hash: string; last_used_at: Date | null }>>(
      `SELECT secret_hash, last_used_at FROM api_key WHERE prefix = $1`,
      [prefix],
    );
    expect(stored.secret_hash).not.toContain(key!.slice(12)); // only a hash of the secret is kept
    expect(stored.last_used_at).not.toBeNull();

    const revoked = run(['keys:revoke', prefix]);
    expect(revoked.status).toBe(0);
    expect(revoked.stdout).toContain(`Revoked ${prefix}`);
    // The api kept the key in memory; the CLI's revocation reaches it through Redis.
    const refused = await waitFor(
      'the revoked key to be refused',
      async () => {
        const r = await me(key!);
        return r.status === 401 ? r : undefined;
      },
      1_000,
      20,
    );
    expect(refused.body.message).toBe('The API key has been revoked');
    expect(run(['keys:list']).stdout).toMatch(new RegExp(`${prefix}\\tpartner\\t${org}\\trevoked`));

    const audit = await ds.query<Array<{ action: string; actor: string }>>(
      `SELECT action, actor FROM audit_event WHERE target_id = $1 ORDER BY id`,
      [prefix],
    );
    expect(audit).toEqual([
      { action: 'key.create', actor: 'cli' },
      { action: 'key.revoke', actor: 'cli' },
    ]);
  });

  it('keys:create refuses a past expiry, an unknown role and an unknown organisation by name', () => {
    const past = run(['keys:create', '--org', org, '--role', 'analyst', '--expires', '2001-01-01']);
    expect(past.status).not.toBe(0);
    expect(past.stderr).toContain('expires must be in the future');
    const role = run(['keys:create', '--org', org, '--role', 'root']);
    expect(role.stderr).toContain(
      'role must be one of admin, moderator, commissioner, analyst, partner',
    );
    const unknown = run(['keys:create', '--org', 'no-such-org', '--role', 'analyst']);
    expect(unknown.stderr).toContain('Organisation no-such-org was not found');
  });

  it('users:create prints a generated password once; it signs in; set-password replaces it', async () => {
    const made = run(['users:create', '--email', email, '--role', 'analyst', '--org', org]);
    expect(made.status).toBe(0);
    const password = /Password \(shown once[^)]*\): (\S+)/.exec(made.stdout)?.[1];
    expect(password).toBeDefined();
    expect(run(['users:list']).stdout).toContain(`${email}\tanalyst\t${org}\tactive`);

    const signIn = (p: string) =>
      request(app.getHttpServer()).post('/api/v1/auth/sign-in').send({ email, password: p });
    const first = await signIn(password!);
    expect(first.status).toBe(200);
    expect(first.body.user).toEqual({
      kind: 'user',
      label: email,
      role: 'analyst',
      organisation: org,
    });
    expect(first.headers['set-cookie']?.[0]).toMatch(/^ib\.sid=.*HttpOnly.*SameSite=Lax/i);

    const short = run(['users:set-password', '--email', email], 'too short\n');
    expect(short.status).not.toBe(0);
    expect(short.stderr).toContain('password must be at least 12 characters');
    const set = run(['users:set-password', '--email', email], 'a much longer passphrase\n');
    expect(set.status).toBe(0);
    expect((await signIn(password!)).status).toBe(401);
    expect((await signIn('a much longer passphrase')).status).toBe(200);

    const again = run([
      'users:create',
      '--email',
      email.toUpperCase(),
      '--role',
      'analyst',
      '--org',
      org,
    ]);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain('already exists');
  });

  it('orgs:trust marks an organisation trusted and --off undoes it, audited each time', async () => {
    const on = run(['orgs:trust', org]);
    expect(on.status).toBe(0);
    expect(on.stdout).toContain(`${org} is trusted`);
    expect(run(['orgs:list']).stdout).toContain(`${org}\thealthwatch\tCLI Test\ttrusted`);
    const off = run(['orgs:trust', org, '--off']);
    expect(off.stdout).toContain(`${org} is not trusted`);
    expect(run(['orgs:list']).stdout).not.toContain(`${org}\thealthwatch\tCLI Test\ttrusted`);
    const rows = await app
      .get(DataSource)
      .query<Array<{ details: { trusted: boolean } }>>(
        `SELECT details FROM audit_event WHERE action = 'organisation.trust' AND target_id = $1 ORDER BY id`,
        [org],
      );
    expect(rows.map((r) => r.details.trusted)).toEqual([true, false]);
    expect(run(['orgs:trust', 'no-such-org']).stderr).toContain(
      'Organisation no-such-org was not found',
    );
  });
});
