import type { RedisOptions } from 'ioredis';

/** ioredis options from a redis:// URL. */
export function redisOptionsFromUrl(redisUrl: string): RedisOptions {
  const u = new URL(redisUrl);
  const db = u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number.isFinite(db) ? db : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
  };
}

/**
 * Connection options for BullMQ. `maxRetriesPerRequest: null` keeps blocking worker commands
 * alive across a Redis restart (with a number, ioredis gives up and the worker stops fetching);
 * the retry strategy reconnects forever with a capped delay.
 */
export function bullConnectionOptions(redisUrl: string): RedisOptions {
  return {
    ...redisOptionsFromUrl(redisUrl),
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times: number) => Math.min(200 * times, 2000),
  };
}
