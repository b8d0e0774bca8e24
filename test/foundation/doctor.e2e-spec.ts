import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

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
    expect(r.stdout).toMatch(/✓ PostgreSQL: PostgreSQL \d+/);
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
});
