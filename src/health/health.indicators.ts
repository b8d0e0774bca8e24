import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { redisOptionsFromUrl } from '../queues/redis-options';
import { IndexGateway } from '../search/index-gateway';

const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref(),
    ),
  ]);
}

@Injectable()
export class ServiceHealthIndicators implements OnModuleDestroy {
  /** Its own connection with no offline queue, so a ping fails at once while Redis is down. */
  private readonly redis: Redis;

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly index: IndexGateway,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.redis = new Redis({
      ...redisOptionsFromUrl(config.REDIS_URL),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
      retryStrategy: () => 1000,
    });
    this.redis.on('error', () => undefined);
    this.redis.connect().catch(() => undefined);
  }

  async postgres(): Promise<HealthIndicatorResult> {
    const check = this.health.check('postgres');
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), CHECK_TIMEOUT_MS, 'PostgreSQL');
      return check.up();
    } catch (e) {
      return check.down({ message: (e as Error).message });
    }
  }

  async redisCheck(): Promise<HealthIndicatorResult> {
    const check = this.health.check('redis');
    try {
      const pong = await withTimeout(this.readyThenPing(), CHECK_TIMEOUT_MS, 'Redis');
      return pong === 'PONG' ? check.up() : check.down({ message: `unexpected reply ${pong}` });
    } catch (e) {
      return check.down({ message: `Redis is not reachable: ${(e as Error).message}` });
    }
  }

  /** Waits for a connection that is still being made (at start-up, or reconnecting) before pinging. */
  private async readyThenPing(): Promise<string> {
    if (this.redis.status !== 'ready') {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`connection is ${this.redis.status}`)),
          CHECK_TIMEOUT_MS - 200,
        );
        timer.unref();
        this.redis.once('ready', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.redis.ping();
  }

  async meilisearch(): Promise<HealthIndicatorResult> {
    const check = this.health.check('meilisearch');
    return (await this.index.healthy(CHECK_TIMEOUT_MS))
      ? check.up()
      : check.down({ message: 'Meilisearch is not reachable' });
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
