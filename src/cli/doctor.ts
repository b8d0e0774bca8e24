import Redis from 'ioredis';
import { Client } from 'pg';
import { OidcFailure, OidcProviderAdapter } from '../access/oidc/oidc-provider.adapter';
import { oidcSettingsFrom } from '../access/oidc/oidc-settings';
import { loadConfig } from '../config/config';
import { ConfigValidationError, configProblemFix, type AppConfig } from '../config/env.schema';
import { redisOptionsFromUrl } from '../queues/redis-options';
import {
  MEILISEARCH_BINARY_SHA256,
  ensureMeilisearch,
  verifiedBinary,
} from '../search/meili/meili-launcher';

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

async function checkPostgres(config: AppConfig): Promise<DoctorCheck> {
  const url = new URL(config.DATABASE_URL);
  const where = `${url.hostname}:${url.port || 5432}`;
  const client = new Client({
    connectionString: config.DATABASE_URL,
    connectionTimeoutMillis: 3000,
  });
  try {
    await client.connect();
    const r = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    let pending = '';
    try {
      const m = await client.query<{ n: string }>('SELECT count(*)::text AS n FROM migrations');
      pending = ` (${m.rows[0].n} migrations applied)`;
    } catch {
      pending = ' (no migrations applied yet: `npm run migration:run` or `npm start` applies them)';
    }
    return {
      name: 'PostgreSQL',
      ok: true,
      detail: `PostgreSQL ${r.rows[0].v} at ${where}${url.pathname}${pending}`,
    };
  } catch (e) {
    const err = e as { code?: string; message: string };
    if (err.code === '3D000') {
      return {
        name: 'PostgreSQL',
        ok: true,
        detail: `server at ${where} is up; database ${url.pathname.slice(1)} will be created on first start`,
      };
    }
    return {
      name: 'PostgreSQL',
      ok: false,
      detail: `cannot connect to ${where}: ${err.message}`,
      fix: 'Start PostgreSQL (e.g. `docker compose up -d postgres`, or your system service) or point DATABASE_URL at a running server.',
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkRedis(config: AppConfig): Promise<DoctorCheck> {
  const redis = new Redis({
    ...redisOptionsFromUrl(config.REDIS_URL),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 3000,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const info = await redis.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? '?';
    const policy = (await redis.config('GET', 'maxmemory-policy').catch(() => [])) as string[];
    const warn =
      policy[1] && policy[1] !== 'noeviction'
        ? ` — warning: maxmemory-policy is ${policy[1]}; queues need noeviction`
        : '';
    return {
      name: 'Redis',
      ok: true,
      detail: `Redis ${version} at ${new URL(config.REDIS_URL).host}${warn}`,
    };
  } catch (e) {
    return {
      name: 'Redis',
      ok: false,
      detail: `cannot connect to ${new URL(config.REDIS_URL).host}: ${(e as Error).message}`,
      fix: 'Start Redis (e.g. `docker compose up -d redis`, or `redis-server --daemonize yes`) or set REDIS_URL.',
    };
  } finally {
    redis.disconnect();
  }
}

async function checkMeili(config: AppConfig): Promise<DoctorCheck> {
  if (!config.MEILI_URL) {
    try {
      await verifiedBinary(config.MEILI_DATA_DIR);
    } catch (e) {
      return {
        name: 'Meilisearch',
        ok: false,
        detail: (e as Error).message,
        fix: 'Run `npm ci`, or run Meilisearch yourself and set MEILI_URL and MEILI_MASTER_KEY.',
      };
    }
  }
  try {
    const conn = await ensureMeilisearch({
      url: config.MEILI_URL,
      masterKey: config.MEILI_MASTER_KEY,
      dataDir: config.MEILI_DATA_DIR,
      port: config.MEILI_PORT,
      startTimeoutMs: 20000,
    });
    try {
      const res = await fetch(`${conn.url}/version`, {
        headers: { Authorization: `Bearer ${conn.masterKey}` },
        signal: AbortSignal.timeout(3000),
      });
      if (res.status === 401 || res.status === 403) {
        return {
          name: 'Meilisearch',
          ok: false,
          detail: `${conn.url} refused the key (${res.status})`,
          fix: "Set MEILI_MASTER_KEY to that server's master key.",
        };
      }
      const v = (await res.json()) as { pkgVersion?: string };
      const how = conn.bundled
        ? `bundled binary (sha256 ${MEILISEARCH_BINARY_SHA256.slice(0, 12)}… verified)`
        : 'external server';
      return {
        name: 'Meilisearch',
        ok: res.ok,
        detail: `Meilisearch ${v.pkgVersion ?? '?'} at ${conn.url}, ${how}`,
      };
    } finally {
      await conn.stop();
    }
  } catch (e) {
    return {
      name: 'Meilisearch',
      ok: false,
      detail: (e as Error).message,
      fix: config.MEILI_URL
        ? 'Check that MEILI_URL is reachable from here.'
        : 'See .data/meilisearch/meilisearch.log, or set MEILI_URL to a running server.',
    };
  }
}

/** OIDC sign-in, when configured: the provider answers discovery as the first sign-in needs. */
async function checkOidc(config: AppConfig): Promise<DoctorCheck> {
  const settings = oidcSettingsFrom(config)!;
  try {
    const { authorizationEndpoint } = await new OidcProviderAdapter(settings).checkProvider();
    return {
      name: 'OIDC',
      ok: true,
      detail: `provider ${settings.issuer.href} answered; people sign in at ${new URL(authorizationEndpoint).origin}`,
    };
  } catch (e) {
    const f = e instanceof OidcFailure ? e : new OidcFailure('unavailable', 'unknown');
    return {
      name: 'OIDC',
      ok: false,
      detail: `provider ${settings.issuer.href} ${f.kind === 'unavailable' ? 'could not be reached' : 'answered with metadata the bank cannot use'} (${f.detail})`,
      fix:
        f.kind === 'unavailable'
          ? 'Check OIDC_ISSUER (for Entra ID: https://login.microsoftonline.com/<tenant id>/v2.0) and that this machine can reach it.'
          : 'Check OIDC_ISSUER: its /.well-known/openid-configuration must name the same issuer exactly (including any trailing slash).',
    };
  }
}

/** Checks configuration and the three services, saying what is wrong and how to fix it. */
export async function runDoctor(print: (line: string) => void): Promise<boolean> {
  let config: AppConfig;
  try {
    config = loadConfig();
    print('✓ Configuration is valid');
  } catch (e) {
    if (e instanceof ConfigValidationError) {
      for (const problem of e.problems) {
        print(`✗ ${problem}`);
        print(`  Fix: ${configProblemFix(problem)}`);
      }
      print(
        `The configuration has ${e.problems.length} problem${e.problems.length === 1 ? '' : 's'}; PostgreSQL, Redis and Meilisearch are checked once it is valid.`,
      );
      return false;
    }
    throw e;
  }
  const checks = await Promise.all([
    checkPostgres(config),
    checkRedis(config),
    checkMeili(config),
    ...(config.OIDC_ISSUER ? [checkOidc(config)] : []),
  ]);
  for (const c of checks) {
    print(`${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}`);
    if (!c.ok && c.fix) print(`  Fix: ${c.fix}`);
  }
  return checks.every((c) => c.ok);
}
