import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { redisOptionsFromUrl } from '../queues/redis-options';
import type { Role } from './permissions';

/** How long an api process trusts what it read about a key before reading it again. */
export const KEY_CACHE_MS = 30_000;
/** After Redis comes back, keys are read afresh for this long (a revocation may have been missed). */
const RESUBSCRIBE_GRACE_MS = 1_000;
const MAX_ENTRIES = 10_000;

/** What an api process keeps about a known key: never the key, only its stored hash. */
export interface KnownKey {
  id: string;
  prefix: string;
  secretHash: string;
  role: Role;
  organisationId: string;
  organisationCode: string;
  expiresAt: number | null;
  revoked: boolean;
  lastUsedAt: number | null;
}

/**
 * API keys an api process has read from PostgreSQL, so a machine client's every request does not
 * cost a database round trip. An entry lives KEY_CACHE_MS at most. Revoking a key removes it here
 * at once and tells every other api process through Redis (publish/subscribe); the cache is used
 * only while that subscription is up, so a revocation is never missed for longer than it takes to
 * notice that Redis went away. Unknown prefixes are not kept.
 */
@Injectable()
export class ApiKeyCache implements OnModuleDestroy {
  private readonly log = new Logger(ApiKeyCache.name);
  private readonly entries = new Map<string, { key: KnownKey; loadedAt: number }>();
  private readonly channel: string;
  private subscriber: Redis | undefined;
  private publisher: Redis | undefined;
  private usable = false;
  private graceTimer: NodeJS.Timeout | undefined;
  /**
   * Moves on at every revocation heard and every lost connection. A key read from PostgreSQL is
   * kept only if no revocation arrived while it was being read, so a read that began before a
   * revocation was committed cannot put the old row back.
   */
  private generationCount = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.channel = `${config.QUEUE_PREFIX}:api-key-revoked`;
  }

  /** Starts listening for revocations from other processes; until then nothing is cached. */
  listen(): void {
    if (this.subscriber) return;
    const sub = new Redis({
      ...redisOptionsFromUrl(this.config.REDIS_URL),
      connectionName: `${this.config.QUEUE_PREFIX}:api-key-revocations`,
      lazyConnect: true,
      maxRetriesPerRequest: null,
      retryStrategy: (times: number) => Math.min(200 * times, 2000),
    });
    this.subscriber = sub;
    sub.on('error', () => undefined); // /health reports Redis; the cache just stops being used
    sub.on('message', (_channel: string, prefix: string) => this.evict(prefix));
    sub.on('close', () => {
      this.usable = false;
      this.generationCount++;
      this.entries.clear();
    });
    let subscribedOnce = false;
    sub.on('ready', () => {
      if (!subscribedOnce) return;
      // Reconnected: ioredis subscribes again; read keys afresh until that has surely happened.
      this.generationCount++;
      this.entries.clear();
      if (this.graceTimer) clearTimeout(this.graceTimer);
      this.graceTimer = setTimeout(() => {
        this.graceTimer = undefined;
        if (sub.status === 'ready') this.usable = true;
      }, RESUBSCRIBE_GRACE_MS);
      this.graceTimer.unref();
    });
    sub.subscribe(this.channel).then(
      () => {
        subscribedOnce = true;
        this.usable = true;
      },
      () => undefined,
    );
  }

  get(prefix: string, now: number): KnownKey | undefined {
    if (!this.usable) return undefined;
    const e = this.entries.get(prefix);
    if (!e) return undefined;
    if (now - e.loadedAt >= KEY_CACHE_MS || now < e.loadedAt) {
      this.entries.delete(prefix);
      return undefined;
    }
    return e.key;
  }

  /** Take before reading a key from PostgreSQL, and hand to `set` with what was read. */
  get generation(): number {
    return this.generationCount;
  }

  set(key: KnownKey, now: number, readSince: number): void {
    if (!this.usable || readSince !== this.generationCount) return;
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key.prefix, { key, loadedAt: now });
  }

  evict(prefix: string): void {
    this.generationCount++;
    this.entries.delete(prefix);
  }

  /** Forgets the key here and tells every other api process to forget it. */
  async revoked(prefix: string): Promise<void> {
    this.evict(prefix);
    try {
      if (!this.publisher) {
        this.publisher = new Redis({
          ...redisOptionsFromUrl(this.config.REDIS_URL),
          lazyConnect: true,
          maxRetriesPerRequest: 1,
          commandTimeout: 2000,
        });
        this.publisher.on('error', () => undefined);
      }
      await this.publisher.publish(this.channel, prefix);
    } catch (e) {
      this.log.warn(
        `Key ${prefix} is revoked, but other api processes could not be told at once (${(e as Error).message}); they refuse it within ${KEY_CACHE_MS / 1000} s`,
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.usable = false;
    this.entries.clear();
    for (const c of [this.subscriber, this.publisher]) {
      if (!c || c.status === 'end') continue;
      // quit() would wait for a connection that may never come; a closed one needs no goodbye.
      if (c.status === 'ready') await c.quit().catch(() => c.disconnect());
      else c.disconnect();
    }
    this.subscriber = undefined;
    this.publisher = undefined;
  }
}
