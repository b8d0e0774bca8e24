import { type ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { normalizeIp, ThrottlerGuard } from '@nestjs/throttler';
import { loadConfig } from '../config/config';
import { redisUnavailable } from './access-redis';
import type { Principal } from './principal';

/** @nestjs/throttler's metadata key for a route's own limit (set by @Throttle). */
const ROUTE_LIMIT = 'THROTTLER:LIMIT';

/**
 * Rate limits per API key, per signed-in user, or per IP address for anonymous callers. The
 * counters live in Redis, so they hold across every api process. One counter per caller covers
 * every route; a route with its own limit keeps a counter of its own. Failed sign-ins are limited
 * apart, by SignInLimiter.
 */
@Injectable()
export class PrincipalThrottlerGuard extends ThrottlerGuard {
  /** The counters are in Redis: when it cannot count, the request is 503, not a 500. */
  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    try {
      return await super.canActivate(ctx);
    } catch (e) {
      if (e instanceof HttpException) throw e; // 429 and the like
      throw redisUnavailable();
    }
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const ns = loadConfig().QUEUE_PREFIX;
    const p = req.principal as Principal | undefined;
    if (p && p.kind !== 'anonymous' && p.id) return Promise.resolve(`${ns}:${p.kind}:${p.id}`);
    // An IPv6 client usually holds a whole /64: count the network, not each address.
    return Promise.resolve(`${ns}:ip:${normalizeIp(String(req.ip), this.ipv6SubnetPrefix)}`);
  }

  protected override generateKey(ctx: ExecutionContext, tracker: string, name: string): string {
    const targets = [ctx.getHandler(), ctx.getClass()];
    const own = this.reflector.getAllAndOverride<unknown>(`${ROUTE_LIMIT}${name}`, targets);
    return own === undefined ? `${name}:${tracker}` : super.generateKey(ctx, tracker, name);
  }
}
