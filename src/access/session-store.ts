import type { Request } from 'express';
import session from 'express-session';
import type Redis from 'ioredis';
import { redisUnavailable } from './access-redis';
import type { Principal } from './principal';

/**
 * Requests whose session could not be read because Redis failed. They carry no session, and the
 * access guard answers them 503 rather than treating a signed-in person as anonymous.
 */
export const sessionUnreadable = new WeakSet<object>();

/** A new session id (at sign-in, against session fixation); 503 when Redis fails. */
export function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.regenerate((e: unknown) => (e ? reject(redisUnavailable()) : resolve())),
  );
}

/**
 * What signing in, out and changing a password need of the HTTP exchange, so the services that
 * do them (and audit them) never read the request: the session, and the client's retry time.
 */
export interface SessionControl {
  /** A signed-in session under a new id (no session fixation); its person becomes the principal. */
  start(userId: string, principal: Principal, signedInAt: number): Promise<void>;
  end(): Promise<void>;
  /** Tells a refused client when it may try again. */
  retryAfter(seconds: number): void;
}

export function sessionControl(req: Request): SessionControl {
  return {
    async start(userId, principal, signedInAt) {
      await regenerateSession(req);
      req.session.userId = userId;
      req.session.signedInAt = signedInAt;
      req.principal = principal;
    },
    async end() {
      if (req.session) await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    },
    retryAfter(seconds) {
      req.res?.setHeader('Retry-After', String(seconds));
    },
  };
}

/**
 * Server-side sessions in Redis (so every api process shares them): express-session's Store on the
 * bank's own ioredis connection. Each session is one key with the idle timeout as its TTL.
 */
export class RedisSessionStore extends session.Store {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {
    super();
  }

  private key(sid: string): string {
    return `${this.prefix}${sid}`;
  }

  override get(sid: string, cb: (err: unknown, s?: session.SessionData | null) => void): void {
    this.redis.get(this.key(sid)).then(
      (v) => cb(null, v ? (JSON.parse(v) as session.SessionData) : null),
      (e: unknown) => cb(e),
    );
  }

  override set(sid: string, s: session.SessionData, cb?: (err?: unknown) => void): void {
    this.redis.set(this.key(sid), JSON.stringify(s), 'EX', this.ttlSeconds).then(
      () => cb?.(),
      (e: unknown) => cb?.(e),
    );
  }

  override destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.redis.del(this.key(sid)).then(
      () => cb?.(),
      (e: unknown) => cb?.(e),
    );
  }

  override touch(sid: string, _s: session.SessionData, cb?: (err?: unknown) => void): void {
    this.redis.expire(this.key(sid), this.ttlSeconds).then(
      () => cb?.(),
      (e: unknown) => cb?.(e),
    );
  }
}

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    signedInAt?: number;
  }
}
