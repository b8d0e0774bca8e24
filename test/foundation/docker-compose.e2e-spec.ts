import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { knownVariables, validateEnvironment } from '../../src/config/env.schema';

/** There is no Docker engine where the tests run, so check the file against the config schema instead. */
describe('docker-compose.yml', () => {
  const root = path.resolve(__dirname, '..', '..');
  const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), {
    merge: true,
  }) as {
    services: Record<
      string,
      {
        image?: string;
        build?: unknown;
        command?: string[];
        ports?: string[];
        environment?: Record<string, string>;
        healthcheck?: unknown;
        deploy?: { replicas?: number };
      }
    >;
  };
  const s = compose.services;

  it('has the three services on their usual images and ports, with healthchecks', () => {
    expect(Object.keys(s).sort()).toEqual(['api', 'meilisearch', 'postgres', 'redis', 'worker']);
    expect(s.postgres.image).toBe('postgres:16');
    expect(s.redis.image).toBe('redis:7');
    expect(s.meilisearch.image).toBe('getmeili/meilisearch:v1.21');
    expect(s.postgres.ports).toContain('5432:5432');
    expect(s.redis.ports).toContain('6379:6379');
    expect(s.meilisearch.ports).toContain('7700:7700');
    for (const name of Object.keys(s).filter((n) => n !== 'worker'))
      expect(s[name].healthcheck).toBeDefined();
    expect(s.redis.command).toEqual(
      expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']),
    );
    expect(s.meilisearch.environment?.MEILI_MASTER_KEY).toMatch(/\$\{MEILI_MASTER_KEY/);
  });

  it('runs api and worker apart from one image, with scalable workers', () => {
    expect(s.api.build).toBeDefined();
    expect(s.worker.build).toBeDefined();
    expect(s.api.command).toEqual(['node', 'dist/src/main.js']);
    expect(s.worker.command).toEqual([
      'node',
      '--max-old-space-size=176',
      '--max-semi-space-size=8',
      'dist/src/worker.js',
    ]);
    expect(s.worker.deploy?.replicas).toBeGreaterThan(1);
  });

  it('gives api and worker only variables the config schema knows, with valid values', () => {
    const known = new Set(knownVariables());
    for (const name of ['api', 'worker']) {
      const env = s[name].environment ?? {};
      for (const key of Object.keys(env))
        expect(known.has(key) ? key : `unknown variable ${key}`).toBe(key);
      // Substitute compose's ${VAR:-default} / ${VAR:?message} forms with sample values, then validate.
      const resolved = Object.fromEntries(
        Object.entries(env).map(([k, v]) => [
          k,
          String(v).replace(
            /\$\{[A-Z_]+(:-([^}]*))?[^}]*\}/g,
            (_m, _d, def: string | undefined) => def ?? 'a-sample-secret-of-at-least-32-characters',
          ),
        ]),
      );
      expect(() => validateEnvironment(resolved)).not.toThrow();
      const config = validateEnvironment(resolved);
      expect(new URL(config.DATABASE_URL).hostname).toBe('postgres');
      expect(new URL(config.REDIS_URL).hostname).toBe('redis');
      expect(new URL(config.MEILI_URL!).hostname).toBe('meilisearch');
      expect(new URL(config.MEILI_URL!).port).toBe('7700');
    }
    expect(s.api.ports).toContain(`${validateEnvironment({ PORT: '3000' }).PORT}:3000`);
  });
});
