import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { IdentityService } from '../access/identity.service';
import { auditActor } from '../access/request-context';
import { regenerateSession } from '../access/session-store';
import { SignInLimiter } from '../access/sign-in-limiter';
import { AuditService } from '../audit/audit.service';

/**
 * Signing in and out with a password from the web pages, with the same rules as the API's
 * POST /api/v1/auth/sign-in: lockout after repeated failures (IdentityService), a new session id
 * at sign-in, and the same audit rows.
 */
@Injectable()
export class SessionSignInService {
  constructor(
    private readonly identity: IdentityService,
    private readonly audit: AuditService,
    private readonly limiter: SignInLimiter,
  ) {}

  /** 429 when this address has used up its failed sign-ins (checked before the form's own checks). */
  assertAllowed(req: Request): Promise<void> {
    return this.limiter.assertAllowed(req);
  }

  /** True when signed in; false (and an `auth.sign_in_failed` row) otherwise. */
  async signIn(req: Request, email: string, password: string): Promise<boolean> {
    await this.limiter.assertAllowed(req);
    const outcome = await this.identity.signIn(email, password);
    if (!outcome.ok) {
      await this.limiter.recordFailure(req);
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
          requestId: typeof req.id === 'string' ? req.id : null,
          ip: req.ip ?? null,
        },
        { action: 'auth.sign_in_failed', details: { reason: outcome.reason } },
      );
      return false;
    }
    await regenerateSession(req); // a new session id at sign-in (no session fixation)
    req.session.userId = outcome.user.id;
    req.session.signedInAt = Date.now();
    req.principal = (await this.identity.principalForUser(outcome.user.id)) ?? undefined;
    await this.audit.record(auditActor(req), { action: 'auth.sign_in' });
    return true;
  }

  async signOut(req: Request): Promise<void> {
    const actor = auditActor(req);
    if (req.session) await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    await this.audit.record(actor, { action: 'auth.sign_out' });
  }
}
