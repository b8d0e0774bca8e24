import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { redisOptionsFromUrl } from '../queues/redis-options';

/**
 * The api's Redis connection for sessions and rate limits. Commands time out after two seconds so
 * a Redis outage answers 503 quickly instead of holding requests.
 */
@Injectable()
export class AccessRedis implements OnModuleDestroy {
  readonly client: Redis;
  readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.client = new Redis({
      ...redisOptionsFromUrl(config.REDIS_URL),
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      commandTimeout: 2000,
      retryStrategy: (times: number) => Math.min(200 * times, 2000),
    });
    this.client.on('error', () => undefined); // reported by /health and by the failing request
    this.prefix = `${config.QUEUE_PREFIX}:`;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.client.status === 'end') return;
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
