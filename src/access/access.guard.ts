import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  Logger,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '../common/domain-error';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { ACCESS_RULE, type AccessRule } from './access.decorators';
import { parseApiKey } from './credentials';
import { csrf, SAFE_METHODS } from './csrf';
import { IdentityService } from './identity.service';
import { can } from './permissions';
import { ANONYMOUS, type Principal } from './principal';
import { redisUnavailable } from './access-redis';
import { sessionUnreadable } from './session-store';

export const API_KEY_HEADER = 'x-api-key';

export type AuthenticatedRequest = Request & { principal?: Principal };

/** The credential a request carries: an API key (Authorization: Bearer or X-API-Key) or none. */
export function apiKeyFrom(req: Request): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '');
  const k = req.headers[API_KEY_HEADER];
  return typeof k === 'string' && k !== '' ? k : undefined;
}

/**
 * Authenticates every request (API key, else session cookie, else anonymous) and checks the
 * route's permission against the permission table. A route without an access rule is refused,
 * so a new route cannot be reachable by accident.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly log = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly identity: IdentityService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (!rule) {
      this.log.error(`${ctx.getClass().name}.${ctx.getHandler().name} has no access rule`);
      throw new DomainError('forbidden', 'This route has no access rule and is closed');
    }
    const principal = await this.authenticate(req);
    req.principal = principal;
    if ('public' in rule) return true;
    if (principal.kind === 'anonymous') {
      if (!(this.config.ALLOW_ANONYMOUS_SEARCH && can('public', rule.permission)))
        throw new DomainError(
          'unauthorized',
          'Sign in, or send an API key in the Authorization header (Bearer ib_…)',
        );
    } else if (!can(principal.role, rule.permission)) {
      this.refused(req, principal, `lacks ${rule.permission}`);
      throw new DomainError(
        'forbidden',
        `The ${principal.role} role does not have the ${rule.permission} permission`,
      );
    }
    if (principal.kind === 'user' && !SAFE_METHODS.has(req.method) && !csrf.isRequestValid(req)) {
      this.refused(req, principal, 'no valid CSRF token');
      throw new DomainError(
        'forbidden',
        'Missing or wrong CSRF token: send the x-csrf-token header (from GET /api/v1/auth/session) or the _csrf form field',
      );
    }
    return true;
  }

  /** A refused request, for the security log: who, what and why; never a secret or a query. */
  private refused(
    req: AuthenticatedRequest,
    principal: Principal | undefined,
    reason: string,
    keyPrefix?: string,
  ): void {
    this.log.warn(
      {
        event: 'access_refused',
        reason,
        actor: principal?.label ?? (keyPrefix ? `key:${keyPrefix}` : 'unknown key'),
        role: principal?.role,
        method: req.method,
        path: req.path,
        ip: req.ip,
      },
      'Access refused',
    );
  }

  private async authenticate(req: AuthenticatedRequest): Promise<Principal> {
    if (req.principal) return req.principal;
    const key = apiKeyFrom(req);
    if (key !== undefined) {
      const r = await this.identity.principalForKey(key);
      if ('refused' in r) {
        // Only the key's public prefix is logged, never the secret (nor a malformed value).
        this.refused(req, undefined, `API key ${r.refused}`, parseApiKey(key)?.prefix);
        const why = {
          malformed: 'is not an Insight Bank API key',
          unknown: 'is not valid',
          revoked: 'has been revoked',
          expired: 'has expired',
        }[r.refused];
        throw new DomainError('unauthorized', `The API key ${why}`);
      }
      return r.principal;
    }
    if (sessionUnreadable.has(req)) throw redisUnavailable();
    const userId = req.session?.userId;
    if (userId) {
      // However active, a session ends SESSION_MAX_HOURS after sign-in.
      const age = Date.now() - (req.session.signedInAt ?? 0);
      const current = age >= 0 && age < this.config.SESSION_MAX_HOURS * 3_600_000;
      const p = current
        ? await this.identity.principalForUser(userId, req.session.signedInAt ?? 0)
        : null;
      if (p) return p;
      // Too old, the account removed or disabled, or its password changed since: end the session.
      await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    }
    return ANONYMOUS;
  }
}
