import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { DomainError } from '../common/domain-error';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { redisOptionsFromUrl } from '../queues/redis-options';

/** How long start-up waits for the first connection before serving (and answering 503) without it. */
const FIRST_CONNECT_WAIT_MS = 2000;

/** The answer of a signed-in route while Redis cannot be reached or does not answer. */
export function redisUnavailable(): DomainError {
  return new DomainError(
    'upstream_unavailable',
    'Redis, which holds sessions and rate limits, is not answering; try again shortly',
  );
}

/**
 * The api's Redis connection for sessions and rate limits. While it is down, commands fail at
 * once (no offline queue: a request is not held waiting for a reconnection) and the request is
 * answered 503 (`redisUnavailable`); a Redis that is connected but silent fails a command after
 * two seconds. The connection is retried in the background for as long as the process runs.
 */
@Injectable()
export class AccessRedis implements OnModuleInit, OnModuleDestroy {
  readonly client: Redis;
  readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.client = new Redis({
      ...redisOptionsFromUrl(config.REDIS_URL),
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 2000,
      retryStrategy: (times: number) => Math.min(200 * times, 2000),
    });
    this.client.on('error', () => undefined); // reported by /health and by the failing request
    this.prefix = `${config.QUEUE_PREFIX}:`;
  }

  /** Connects before the first request, so that one is not refused for want of a connection. */
  async onModuleInit(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.client.connect().catch(() => undefined), // retried in the background
      new Promise<void>((resolve) => (timer = setTimeout(resolve, FIRST_CONNECT_WAIT_MS))),
    ]);
    clearTimeout(timer);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.client.status === 'end') return;
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
