import { type ExecutionContext, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../common/domain-error';
import type { AppConfig } from '../config/env.schema';
import { PublicRoute, RequirePermission } from './access.decorators';
import { AccessGuard, type AuthenticatedRequest } from './access.guard';
import { csrf } from './csrf';
import type { IdentityService } from './identity.service';
import type { Principal } from './principal';

const KEY = 'ib_0123abcd_' + 'k'.repeat(43);

function principal(role: Principal['role'], kind: Principal['kind']): Principal {
  return {
    kind,
    id: `${kind}-1`,
    role,
    organisationId: 'org-1',
    organisationCode: 'org',
    label: kind,
  };
}

/** The two lookups the guard makes, answered from fixed tables. */
class FakeIdentity {
  constructor(
    private readonly keys: Record<string, Principal | 'revoked' | 'expired'>,
    private readonly users: Record<string, Principal>,
  ) {}
  principalForKey(raw: string) {
    const k = this.keys[raw];
    if (k === undefined) return Promise.resolve({ refused: 'unknown' as const });
    if (k === 'revoked' || k === 'expired') return Promise.resolve({ refused: k });
    return Promise.resolve({ principal: k });
  }
  principalForUser(id: string) {
    return Promise.resolve(this.users[id] ?? null);
  }
}

class Routes {
  @RequirePermission('audit.read') audit(): void {}
  @RequirePermission('insights.read') search(): void {}
  @RequirePermission('session.self') signOut(): void {}
  @PublicRoute() open(): void {}
  forgotten(): void {}
}

@PublicRoute()
class OpenRoutes {
  health(): void {}
}

type Req = AuthenticatedRequest;

/** Notes when the guard ends the request's session. */
function watchDestroy(req: Req): { destroyed: boolean } {
  const seen = { destroyed: false };
  req.session.destroy = ((cb: (err?: unknown) => void) => {
    seen.destroyed = true;
    cb();
    return req.session;
  }) as Req['session']['destroy'];
  return seen;
}

function request(method: string, headers: Record<string, string> = {}, userId?: string): Req {
  const session = { userId, signedInAt: Date.now() - 60_000, destroy: (cb: () => void) => cb() };
  return { method, headers, session, body: {} } as unknown as Req;
}

function context(req: Req, handler: keyof Routes | 'health'): ExecutionContext {
  const cls = handler === 'health' ? OpenRoutes : Routes;
  const fn = (cls.prototype as unknown as Record<string, () => void>)[handler];
  return {
    getType: () => 'http',
    getHandler: () => fn,
    getClass: () => cls,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

function guard(allowAnonymousSearch = false): AccessGuard {
  const identity = new FakeIdentity(
    {
      [KEY]: principal('partner', 'api_key'),
      revoked: 'revoked',
      expired: 'expired',
    },
    { 'user-1': principal('analyst', 'user'), 'admin-1': principal('admin', 'user') },
  );
  return new AccessGuard(
    new Reflector(),
    identity as unknown as IdentityService,
    { ALLOW_ANONYMOUS_SEARCH: allowAnonymousSearch, SESSION_MAX_HOURS: 12 } as AppConfig,
  );
}

async function outcome(
  g: AccessGuard,
  req: Req,
  handler: keyof Routes | 'health',
): Promise<string> {
  try {
    return (await g.canActivate(context(req, handler))) ? 'allowed' : 'refused';
  } catch (e) {
    if (e instanceof DomainError) return `${e.code}: ${e.message}`;
    throw e;
  }
}

describe('AccessGuard', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  it('closes a route that has no access rule, whoever calls', async () => {
    for (const req of [request('GET'), request('GET', { authorization: `Bearer ${KEY}` })])
      expect(await outcome(guard(), req, 'forgotten')).toBe(
        'forbidden: This route has no access rule and is closed',
      );
  });

  it('lets anyone through a public route, on the method or the class', async () => {
    expect(await outcome(guard(), request('POST'), 'open')).toBe('allowed');
    expect(await outcome(guard(), request('GET'), 'health')).toBe('allowed');
  });

  it('answers 401 to anonymous callers of a protected route', async () => {
    expect(await outcome(guard(), request('GET'), 'search')).toMatch(/^unauthorized: /);
    expect(await outcome(guard(), request('GET'), 'audit')).toMatch(/^unauthorized: /);
  });

  it('opens only what the public role may do when anonymous search is on', async () => {
    expect(await outcome(guard(true), request('GET'), 'search')).toBe('allowed');
    expect(await outcome(guard(true), request('GET'), 'audit')).toMatch(/^unauthorized: /);
    expect(await outcome(guard(true), request('POST'), 'signOut')).toMatch(/^unauthorized: /);
  });

  it('checks the role of an API key against the permission table', async () => {
    const bearer = { authorization: `Bearer ${KEY}` };
    expect(await outcome(guard(), request('GET', bearer), 'search')).toBe('allowed');
    expect(await outcome(guard(), request('GET', bearer), 'audit')).toBe(
      'forbidden: The partner role does not have the audit.read permission',
    );
    expect(await outcome(guard(), request('GET', { 'x-api-key': KEY }), 'search')).toBe('allowed');
    expect(
      await outcome(guard(), request('GET', { authorization: `bearer  ${KEY}` }), 'search'),
    ).toBe('allowed');
  });

  it.each([
    ['revoked', 'unauthorized: The API key has been revoked'],
    ['expired', 'unauthorized: The API key has expired'],
    ['somebody-elses', 'unauthorized: The API key is not valid'],
  ])('refuses the %s key with 401, even on a public route', async (key, message) => {
    expect(
      await outcome(guard(), request('GET', { authorization: `Bearer ${key}` }), 'search'),
    ).toBe(message);
    expect(await outcome(guard(), request('GET', { authorization: `Bearer ${key}` }), 'open')).toBe(
      message,
    );
  });

  it('prefers the key to the session cookie: a bad key is not rescued by a good session', async () => {
    const req = request('GET', { authorization: 'Bearer revoked' }, 'admin-1');
    expect(await outcome(guard(), req, 'search')).toMatch(/^unauthorized: /);
  });

  it('attaches the principal for the route to use', async () => {
    const req = request('GET', {}, 'user-1');
    await guard().canActivate(context(req, 'search'));
    expect(req.principal).toMatchObject({ kind: 'user', role: 'analyst' });
  });

  it('ends the session of an account that is gone and treats the caller as anonymous', async () => {
    const req = request('GET', {}, 'deleted-user');
    const seen = watchDestroy(req);
    expect(await outcome(guard(), req, 'search')).toMatch(/^unauthorized: /);
    expect(seen.destroyed).toBe(true);
  });

  it('ends a session SESSION_MAX_HOURS after sign-in, however active', async () => {
    for (const [signedInAt, expected] of [
      [Date.now() - 11.9 * 3_600_000, 'allowed'],
      [Date.now() - 12 * 3_600_000, 'unauthorized'],
      [undefined, 'unauthorized'],
      [Date.now() + 3_600_000, 'unauthorized'],
    ] as const) {
      const req = request('GET', {}, 'user-1');
      req.session.signedInAt = signedInAt;
      const seen = watchDestroy(req);
      const got = (await outcome(guard(), req, 'search')).split(':')[0];
      expect({ signedInAt, got, destroyed: seen.destroyed }).toEqual({
        signedInAt,
        got: expected,
        destroyed: expected !== 'allowed',
      });
    }
  });

  it('logs each refusal with who, why and where, and never the key', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      await outcome(guard(), request('GET', { authorization: `Bearer ${KEY}` }), 'audit');
      await outcome(guard(), request('GET', { authorization: 'Bearer revoked' }), 'search');
      await outcome(guard(), request('POST', {}, 'user-1'), 'signOut');
      const logged = warn.mock.calls.map((c) => c[0] as Record<string, unknown>);
      expect(logged).toEqual([
        expect.objectContaining({
          event: 'access_refused',
          reason: 'lacks audit.read',
          actor: 'api_key',
          role: 'partner',
          method: 'GET',
        }),
        expect.objectContaining({ reason: 'API key revoked', actor: 'unknown key' }),
        expect.objectContaining({ reason: 'no valid CSRF token', actor: 'user', role: 'analyst' }),
      ]);
      expect(JSON.stringify(logged)).not.toContain(KEY.slice(12));
    } finally {
      warn.mockRestore();
    }
  });

  describe('CSRF for cookie sessions', () => {
    it('needs no token to read', async () => {
      expect(await outcome(guard(), request('GET', {}, 'user-1'), 'search')).toBe('allowed');
    });

    it('refuses a change without the session’s token and accepts it with it', async () => {
      const bare = request('POST', {}, 'user-1');
      expect(await outcome(guard(), bare, 'signOut')).toMatch(/^forbidden: Missing or wrong CSRF/);

      const req = request('POST', {}, 'user-1');
      const token = csrf.generateToken(req);
      req.headers['x-csrf-token'] = 'x' + token.slice(1);
      expect(await outcome(guard(), req, 'signOut')).toMatch(/^forbidden: Missing or wrong CSRF/);
      req.headers['x-csrf-token'] = token;
      expect(await outcome(guard(), req, 'signOut')).toBe('allowed');

      const form = request('POST', {}, 'user-1');
      (form as unknown as { body: Record<string, string> }).body = {
        _csrf: csrf.generateToken(form),
      };
      expect(await outcome(guard(), form, 'signOut')).toBe('allowed');
    });

    it('checks the permission before the token, so a refusal says why', async () => {
      expect(await outcome(guard(), request('POST', {}, 'user-1'), 'audit')).toBe(
        'forbidden: The analyst role does not have the audit.read permission',
      );
    });

    it('does not ask API-key callers for a token (they send no cookie)', async () => {
      expect(
        await outcome(guard(), request('DELETE', { authorization: `Bearer ${KEY}` }), 'signOut'),
      ).toBe('allowed');
    });
  });
});
