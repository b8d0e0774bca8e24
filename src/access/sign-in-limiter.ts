import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { normalizeIp } from '@nestjs/throttler';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { AccessRedis, redisUnavailable } from './access-redis';

export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;

/**
 * Failed password sign-ins per address, counted in Redis so the limit holds across api
 * processes. Only failures count: an office whose staff all reach the bank through one proxy
 * address can sign in all morning, while password guessing from one address (against one
 * account or sprayed across many) is stopped after SIGN_IN_ATTEMPTS_PER_15_MINUTES failures.
 * Each account also locks after repeated failures of its own (IdentityService). The window runs
 * from the first failure; a success does not reset it, so a guesser cannot interleave a known
 * password to keep going.
 */
@Injectable()
export class SignInLimiter {
  private readonly limit: number;

  constructor(
    private readonly redis: AccessRedis,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.limit = config.SIGN_IN_ATTEMPTS_PER_15_MINUTES;
  }

  private key(ip: string | null): string {
    // An IPv6 client usually holds a whole /64: count the network, not each address.
    return `${this.redis.prefix}sign-in-failures:${normalizeIp(String(ip ?? undefined), 64)}`;
  }

  /** Refuses with 429 (and Retry-After) when the address has used up its failures. */
  async assertAllowed(ip: string | null, retryAfter: (seconds: number) => void): Promise<void> {
    let failures: number;
    let ttlMs: number;
    try {
      const key = this.key(ip);
      const [count, ttl] = await Promise.all([
        this.redis.client.get(key),
        this.redis.client.pttl(key),
      ]);
      failures = Number(count ?? 0);
      ttlMs = ttl;
    } catch {
      throw redisUnavailable();
    }
    if (failures < this.limit) return;
    const seconds = Math.max(1, Math.ceil((ttlMs > 0 ? ttlMs : SIGN_IN_WINDOW_MS) / 1000));
    retryAfter(seconds);
    throw new HttpException(
      `Too many failed sign-ins from this address: try again in ${Math.ceil(seconds / 60)} minutes`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }

  async recordFailure(ip: string | null): Promise<void> {
    const key = this.key(ip);
    try {
      await this.redis.client.multi().incr(key).pexpire(key, SIGN_IN_WINDOW_MS, 'NX').exec();
    } catch {
      throw redisUnavailable();
    }
  }
}
