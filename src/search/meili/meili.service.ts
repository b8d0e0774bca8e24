import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Pool } from 'undici';
import { APP_CONFIG } from '../../config/config';
import type { AppConfig } from '../../config/env.schema';
import { ensureMeilisearch, isAlive, type MeiliConnection } from './meili-launcher';

export const MEILI_CONNECTION = Symbol('MEILI_CONNECTION');

/** How often a process using the bundled server checks that it is still running. */
const BUNDLED_WATCH_MS = 1_000;

export async function meiliConnectionFactory(
  config: AppConfig,
  port = config.MEILI_PORT,
): Promise<MeiliConnection> {
  const logger = new Logger('Meilisearch');
  return ensureMeilisearch({
    url: config.MEILI_URL,
    masterKey: config.MEILI_MASTER_KEY,
    dataDir: config.MEILI_DATA_DIR,
    port,
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
 * The connection to Meilisearch: every request goes through one kept-alive undici pool, because a
 * fetch-based transport (Node's fetch, the official client) adds tens of milliseconds per request.
 * Which paths are asked for is IndexGateway's business.
 *
 * The bundled server belongs to no one process: it stops when the last process using it stops
 * (see `ensureMeilisearch`). Should it go anyway (it crashed, or was killed), every process using
 * it notices its process id has gone and starts it again (under the launch lock, on the same data
 * folder, key and port) or joins the one another process has just started, so search and
 * `/health` come back by themselves within a few seconds.
 */
@Injectable()
export class MeiliService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Meilisearch');
  private current: MeiliConnection;
  private pool: Pool;
  private watch?: NodeJS.Timeout;
  private recovering?: Promise<void>;
  private shuttingDown = false;

  constructor(
    @Inject(MEILI_CONNECTION) connection: MeiliConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.current = connection;
    this.pool = MeiliService.poolFor(connection.url);
  }

  private static poolFor(url: string): Pool {
    return new Pool(url, { connections: 16, pipelining: 1, keepAliveTimeout: 30_000 });
  }

  get connection(): MeiliConnection {
    return this.current;
  }

  onApplicationBootstrap(): void {
    if (!this.current.bundled) return;
    this.watch = setInterval(() => {
      const pid = this.current.pid;
      if (pid && !isAlive(pid)) void this.restartBundled();
    }, BUNDLED_WATCH_MS);
    this.watch.unref();
  }

  /** Starts the bundled server again, or joins the one another process has started meanwhile. */
  restartBundled(): Promise<void> {
    this.recovering ??= this.relaunch().finally(() => (this.recovering = undefined));
    return this.recovering;
  }

  private async relaunch(): Promise<void> {
    if (this.shuttingDown) return;
    const gone = this.current;
    this.logger.warn(`The bundled Meilisearch (process ${gone.pid}) has stopped; restarting it`);
    let next: MeiliConnection;
    try {
      // Its own port again, so the URL other processes and the operator know stays the same.
      next = await meiliConnectionFactory(this.config, Number(new URL(gone.url).port));
    } catch (e) {
      this.logger.error(`Could not restart the bundled Meilisearch: ${(e as Error).message}`);
      return;
    }
    if (this.shuttingDown) {
      await next.stop();
      return;
    }
    this.current = next;
    // Gives up this process's lease on the old server (which is gone) but not on the new one.
    void gone.stop().catch(() => undefined);
    if (next.url !== gone.url) {
      const old = this.pool;
      this.pool = MeiliService.poolFor(next.url);
      void old.close().catch(() => undefined);
    }
    this.logger.log(`Meilisearch is back at ${next.url} (process ${next.pid})`);
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

  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    if (this.watch) clearInterval(this.watch);
    await this.recovering;
    await this.pool.close().catch(() => undefined);
    // The bundled server stops only if no other process still uses it.
    await this.current.stop();
  }
}
