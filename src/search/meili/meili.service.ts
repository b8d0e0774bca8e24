import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { MeiliSearch } from 'meilisearch';
import { Pool } from 'undici';
import { APP_CONFIG } from '../../config/config';
import type { AppConfig } from '../../config/env.schema';
import { ensureMeilisearch, type MeiliConnection } from './meili-launcher';

export const MEILI_CONNECTION = Symbol('MEILI_CONNECTION');

export async function meiliConnectionFactory(config: AppConfig): Promise<MeiliConnection> {
  const logger = new Logger('Meilisearch');
  return ensureMeilisearch({
    url: config.MEILI_URL,
    masterKey: config.MEILI_MASTER_KEY,
    dataDir: config.MEILI_DATA_DIR,
    port: config.MEILI_PORT,
    log: (m) => logger.log(m),
  });
}

export class MeiliRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'MeiliRequestError';
  }
}

/**
 * The bank's one door to Meilisearch. Administrative calls go through the official client; the
 * search hot path uses a kept-alive undici pool, because the client's fetch transport adds tens of
 * milliseconds per request.
 */
@Injectable()
export class MeiliService implements OnApplicationShutdown {
  readonly client: MeiliSearch;
  private readonly pool: Pool;

  constructor(
    @Inject(MEILI_CONNECTION) readonly connection: MeiliConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.client = new MeiliSearch({ host: connection.url, apiKey: connection.masterKey });
    this.pool = new Pool(connection.url, {
      connections: 16,
      pipelining: 1,
      keepAliveTimeout: 30_000,
    });
  }

  /** Index uid with the configured prefix (tests use a unique prefix per run). */
  indexUid(name: string): string {
    return `${this.config.MEILI_INDEX_PREFIX}${name}`;
  }

  async request<T>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    timeoutMs = 10_000,
  ): Promise<T> {
    const res = await this.pool.request({
      method,
      path,
      headers: {
        authorization: `Bearer ${this.connection.masterKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await res.body.text();
    if (res.statusCode >= 400) {
      let code: string | undefined;
      let message = text;
      try {
        const parsed = JSON.parse(text) as { code?: string; message?: string };
        code = parsed.code;
        message = parsed.message ?? text;
      } catch {
        // not JSON
      }
      throw new MeiliRequestError(
        res.statusCode,
        code,
        `Meilisearch ${method} ${path.split('?')[0]} answered ${res.statusCode}: ${message}`,
      );
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async isHealthy(timeoutMs = 2000): Promise<boolean> {
    try {
      const res = await this.pool.request({
        method: 'GET',
        path: '/health',
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      await res.body.text();
      return res.statusCode === 200;
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.close().catch(() => undefined);
    if (this.connection.owned) await this.connection.stop();
  }
}
