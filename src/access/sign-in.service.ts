import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { actorFor, type Actor } from './actor';
import { IdentityService } from './identity.service';
import type { SessionControl } from './session-store';
import { SignInLimiter } from './sign-in-limiter';

/**
 * Signing in and out with a password, for the API (POST /api/v1/auth/sign-in) and the sign-in
 * page alike: the per-address limit on failures (SignInLimiter), lockout after repeated failures
 * (IdentityService), a new session id at sign-in, and the audit rows.
 */
@Injectable()
export class PasswordSignInService {
  constructor(
    private readonly identity: IdentityService,
    private readonly audit: AuditService,
    private readonly limiter: SignInLimiter,
  ) {}

  /** 429 when this address has used up its failed sign-ins (the page checks before its own checks). */
  assertAllowed(client: Actor, session: SessionControl): Promise<void> {
    return this.limiter.assertAllowed(client.ip, (s) => session.retryAfter(s));
  }

  /**
   * The signed-in actor, its session started; null (and an `auth.sign_in_failed` row naming the
   * email typed) when the email or password is wrong or the account is locked.
   */
  async signIn(
    client: Actor,
    email: string,
    password: string,
    session: SessionControl,
  ): Promise<Actor | null> {
    await this.assertAllowed(client, session);
    const outcome = await this.identity.signIn(email, password);
    if (!outcome.ok) {
      await this.limiter.recordFailure(client.ip);
      const u = outcome.user;
      await this.audit.record(
        {
          principal: {
            kind: 'user',
            id: u?.id ?? null,
            role: u?.role ?? 'public',
            organisationId: u?.organisationId ?? null,
            organisationCode: null,
            label: email.trim().toLowerCase().slice(0, 320),
          },
          requestId: client.requestId,
          ip: client.ip,
        },
        { action: 'auth.sign_in_failed', details: { reason: outcome.reason } },
      );
      return null;
    }
    const principal = await this.identity.principalForUser(outcome.user.id);
    if (!principal) throw new DomainError('unauthorized', 'Sign in or send an API key');
    await session.start(outcome.user.id, principal, Date.now());
    const actor = actorFor(principal, client);
    await this.audit.record(actor, { action: 'auth.sign_in' });
    return actor;
  }

  async signOut(actor: Actor, session: SessionControl): Promise<void> {
    await session.end();
    await this.audit.record(actor, { action: 'auth.sign_out' });
  }
}
