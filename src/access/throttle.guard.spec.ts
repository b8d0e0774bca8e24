import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SkipThrottle, Throttle, type ThrottlerStorage } from '@nestjs/throttler';
import { loadConfig } from '../config/config';
import type { Principal } from './principal';
import { PrincipalThrottlerGuard } from './throttle.guard';

class Routes {
  search(): void {}
  export(): void {}
  @Throttle({ default: { limit: 10, ttl: 900_000 } }) signIn(): void {}
  @SkipThrottle() health(): void {}
}

/** The guard's protected key functions, called as the throttler calls them. */
class Probe extends PrincipalThrottlerGuard {
  tracker(req: Record<string, unknown>): Promise<string> {
    return this.getTracker(req);
  }
  key(handler: string, tracker: string, cls: new () => object = Routes): string {
    const fn = (cls.prototype as unknown as Record<string, () => void>)[handler];
    const ctx = { getHandler: () => fn, getClass: () => cls } as unknown as ExecutionContext;
    return this.generateKey(ctx, tracker, 'default');
  }
}

const storage: ThrottlerStorage = {
  increment: () => Promise.reject(new Error('not used by these tests')),
};
const ns = loadConfig().QUEUE_PREFIX;
const probe = new Probe({ throttlers: [{ ttl: 60_000, limit: 5 }] }, storage, new Reflector());

function p(kind: Principal['kind'], id: string | null): Principal {
  return { kind, id, role: 'analyst', organisationId: null, organisationCode: null, label: kind };
}

describe('rate-limit counters', () => {
  it('count per API key, per signed-in user, and per address for anonymous callers', async () => {
    expect(await probe.tracker({ principal: p('api_key', 'k1'), ip: '10.0.0.1' })).toBe(
      `${ns}:api_key:k1`,
    );
    expect(await probe.tracker({ principal: p('user', 'u1'), ip: '10.0.0.1' })).toBe(
      `${ns}:user:u1`,
    );
    expect(await probe.tracker({ principal: p('anonymous', null), ip: '10.0.0.1' })).toBe(
      `${ns}:ip:10.0.0.1`,
    );
    expect(await probe.tracker({ ip: '10.0.0.2' })).toBe(`${ns}:ip:10.0.0.2`);
  });

  it('count an IPv6 caller by its /64, so rotating addresses does not reset the count', async () => {
    const a = await probe.tracker({ ip: '2001:db8:1:2:aaaa::1' });
    const b = await probe.tracker({ ip: '2001:db8:1:2:bbbb::2' });
    const other = await probe.tracker({ ip: '2001:db8:1:3::1' });
    expect(a).toBe(b);
    expect(a).not.toBe(other);
  });

  it('share one counter across all routes, except a route with its own limit', () => {
    const t = `${ns}:api_key:k1`;
    expect(probe.key('search', t)).toBe(probe.key('export', t));
    expect(probe.key('signIn', t)).not.toBe(probe.key('search', t));
    expect(probe.key('search', t)).not.toBe(probe.key('search', `${ns}:api_key:k2`));
  });
});
