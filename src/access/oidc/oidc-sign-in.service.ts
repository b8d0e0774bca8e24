import { Inject, Injectable } from '@nestjs/common';
import { AuditService, type AuditActor } from '../../audit/audit.service';
import { DomainError } from '../../common/domain-error';
import { OrganisationsService } from '../../organisations/organisations.service';
import type { Role } from '../permissions';
import { ANONYMOUS, type Principal } from '../principal';
import type { AppUser } from '../user.entity';
import { mapClaims, safeReturnTo, type OidcIdentity } from './oidc-claims';
import { OidcFailure, OidcProviderAdapter, type PendingChecks } from './oidc-provider.adapter';
import { OidcUsersRepository, type OidcUsersTransaction } from './oidc-users.repository';
import { OIDC_SETTINGS } from './oidc.tokens';
import type { OidcSettings } from './oidc-settings';

/** How long someone may take at the identity provider before the callback is refused. */
export const PENDING_SIGN_IN_MS = 10 * 60 * 1000;

/** A sign-in in progress, kept in the server-side session between login and callback. */
export interface PendingOidcSignIn extends PendingChecks {
  returnTo?: string;
  startedAt: number;
}

declare module 'express-session' {
  interface SessionData {
    oidc?: PendingOidcSignIn;
  }
}

export type OidcRefusalReason =
  | 'provider_unavailable'
  | 'no_pending_sign_in'
  | 'provider_refused'
  | 'invalid_response'
  | 'no_subject'
  | 'no_email'
  | 'email_unverified'
  | 'no_role'
  | 'no_organisation'
  | 'unknown_organisation'
  | 'account_conflict'
  | 'disabled';

/** A sign-in that did not happen: the HTTP status, the audit reason and what to tell the person. */
export interface OidcRefusal {
  ok: false;
  status: 401 | 403 | 503;
  reason: OidcRefusalReason;
  message: string;
}

export interface OidcSignedIn {
  ok: true;
  userId: string;
  created: boolean;
  linked: boolean;
  roleChangedFrom?: Role;
  returnTo: string;
}

export interface RequestMeta {
  requestId: string | null;
  ip: string | null;
}

const START_AGAIN = 'Start again from the sign-in page.';

function refusal(
  status: OidcRefusal['status'],
  reason: OidcRefusalReason,
  message: string,
): OidcRefusal {
  return { ok: false, status, reason, message };
}

function fromFailure(f: OidcFailure): OidcRefusal {
  switch (f.kind) {
    case 'unavailable':
      return refusal(
        503,
        'provider_unavailable',
        'The sign-in service could not be reached. Try again in a few minutes.',
      );
    case 'provider_refused': {
      const code = /^[a-z_]{1,64}$/.test(f.detail) ? ` (${f.detail})` : '';
      return refusal(
        401,
        'provider_refused',
        `The sign-in service did not sign you in${code}. ${START_AGAIN}`,
      );
    }
    case 'invalid_response':
      return refusal(
        401,
        'invalid_response',
        `The answer from the sign-in service failed its security checks. ${START_AGAIN}`,
      );
  }
}

type Linked =
  | { ok: true; user: AppUser; created: boolean; linked: boolean; previousRole?: Role }
  | { ok: false; refusal: OidcRefusal; user?: AppUser };

/**
 * OIDC sign-in: starts the authorization code flow and, on the way back, maps the ID token's
 * claims to a bank user (created on first sign-in; role and organisation taken from the claims at
 * every sign-in). Every refusal is audited as `auth.sign_in_failed` with its reason.
 */
@Injectable()
export class OidcSignInService {
  constructor(
    @Inject(OIDC_SETTINGS) private readonly settings: OidcSettings | null,
    private readonly provider: OidcProviderAdapter,
    private readonly users: OidcUsersRepository,
    private readonly orgs: OrganisationsService,
    private readonly audit: AuditService,
  ) {}

  private configured(): OidcSettings {
    if (!this.settings) throw new DomainError('not_found', 'OIDC sign-in is not configured');
    return this.settings;
  }

  /** The provider's sign-in address, and what to keep in the session until the callback. */
  async start(
    returnTo: unknown,
    now = Date.now(),
  ): Promise<{ ok: true; url: string; pending: PendingOidcSignIn } | OidcRefusal> {
    this.configured();
    try {
      const { url, checks } = await this.provider.begin();
      return {
        ok: true,
        url,
        pending: { ...checks, returnTo: safeReturnTo(returnTo), startedAt: now },
      };
    } catch (e) {
      if (e instanceof OidcFailure) return fromFailure(e);
      throw e;
    }
  }

  /**
   * Completes a sign-in from the callback's query string. Returns the user to put in the session,
   * or the refusal (already audited).
   */
  async finish(
    pending: PendingOidcSignIn | undefined,
    callbackQuery: string,
    meta: RequestMeta,
    now = new Date(),
  ): Promise<OidcSignedIn | OidcRefusal> {
    const s = this.configured();
    if (!pending || now.getTime() - pending.startedAt > PENDING_SIGN_IN_MS) {
      const r = refusal(
        401,
        'no_pending_sign_in',
        `This sign-in was not started here, or took longer than ${PENDING_SIGN_IN_MS / 60000} minutes. ${START_AGAIN}`,
      );
      return this.refused(r, meta);
    }
    let claims: Record<string, unknown>;
    try {
      claims = await this.provider.complete(callbackQuery, pending);
    } catch (e) {
      if (e instanceof OidcFailure) return this.refused(fromFailure(e), meta);
      throw e;
    }
    const mapped = mapClaims(claims, s);
    if (!mapped.ok) {
      const status = mapped.reason === 'no_subject' ? 401 : 403;
      return this.refused(refusal(status, mapped.reason, mapped.message), meta, {
        email: mapped.email,
        details: mapped.roleClaimValues ? { roleClaimValues: mapped.roleClaimValues } : undefined,
      });
    }
    const identity = mapped.identity;
    if (!identity.emailVerified)
      return this.refused(
        refusal(
          403,
          'email_unverified',
          'The sign-in service says your email address is not verified. Ask your administrator.',
        ),
        meta,
        { email: identity.email },
      );
    const org = await this.orgs.byCode(identity.organisationCode).catch((e: unknown) => {
      if (e instanceof DomainError && e.code === 'not_found') return null;
      throw e;
    });
    if (!org)
      return this.refused(
        refusal(
          403,
          'unknown_organisation',
          `Your organisation (${identity.organisationCode.slice(0, 100)}) is not set up in the Insight Bank. Ask an administrator to add it.`,
        ),
        meta,
        {
          email: identity.email,
          details: { organisation: identity.organisationCode.slice(0, 100) },
        },
      );
    const linked = await this.link(identity, org.id, now);
    if (!linked.ok)
      return this.refused(linked.refusal, meta, { email: identity.email, user: linked.user });
    return {
      ok: true,
      userId: linked.user.id,
      created: linked.created,
      linked: linked.linked,
      roleChangedFrom:
        linked.previousRole && linked.previousRole !== identity.role
          ? linked.previousRole
          : undefined,
      returnTo: pending.returnTo ?? '/',
    };
  }

  /** Audits a completed sign-in (and the account it created), once the session holds the user. */
  async recordSignIn(actor: AuditActor, done: OidcSignedIn): Promise<void> {
    if (done.created)
      await this.audit.record(actor, {
        action: 'user.create',
        targetType: 'user',
        targetId: done.userId,
        details: { method: 'oidc', role: actor.principal.role },
      });
    await this.audit.record(actor, {
      action: 'auth.sign_in',
      details: {
        method: 'oidc',
        ...(done.linked ? { linked: true } : {}),
        ...(done.roleChangedFrom ? { roleChangedFrom: done.roleChangedFrom } : {}),
      },
    });
  }

  /** Finds or creates the user; a unique-key race with a parallel first sign-in is retried once. */
  private async link(identity: OidcIdentity, organisationId: string, now: Date): Promise<Linked> {
    const attempt = (): Promise<Linked> =>
      this.users.transaction((tx) => this.linkIn(tx, identity, organisationId, now));
    try {
      return await attempt();
    } catch (e) {
      if ((e as { code?: unknown }).code === '23505') return attempt();
      throw e;
    }
  }

  private async linkIn(
    tx: OidcUsersTransaction,
    identity: OidcIdentity,
    organisationId: string,
    now: Date,
  ): Promise<Linked> {
    const conflict = (user: AppUser): Linked => ({
      ok: false,
      user,
      refusal: refusal(
        403,
        'account_conflict',
        'An Insight Bank account with your email address belongs to a different sign-in. Ask an administrator.',
      ),
    });
    const disabled = (user: AppUser): Linked => ({
      ok: false,
      user,
      refusal: refusal(403, 'disabled', 'Your Insight Bank account is disabled.'),
    });
    const fields = {
      email: identity.email,
      displayName: identity.displayName,
      role: identity.role,
      organisationId,
      oidcIssuer: identity.issuer,
      oidcSubject: identity.subject,
    };
    const bySubject = await tx.findBySubject(identity.issuer, identity.subject);
    const byEmail = await tx.findByEmail(identity.email);
    if (bySubject) {
      // The provider changed the person's email to one another account already has.
      if (byEmail && byEmail.id !== bySubject.id) return conflict(byEmail);
      if (bySubject.disabled) return disabled(bySubject);
      await tx.refresh(
        bySubject.id,
        { ...fields, displayName: fields.displayName || bySubject.displayName },
        now,
      );
      return {
        ok: true,
        user: bySubject,
        created: false,
        linked: false,
        previousRole: bySubject.role,
      };
    }
    if (byEmail) {
      // An account made beforehand (users:create) is linked on its first OIDC sign-in; one linked
      // to another subject or issuer is not taken over.
      if (byEmail.oidcSubject !== null) return conflict(byEmail);
      if (byEmail.disabled) return disabled(byEmail);
      await tx.refresh(
        byEmail.id,
        { ...fields, displayName: fields.displayName || byEmail.displayName },
        now,
      );
      return { ok: true, user: byEmail, created: false, linked: true, previousRole: byEmail.role };
    }
    return { ok: true, user: await tx.create(fields, now), created: true, linked: false };
  }

  private async refused(
    r: OidcRefusal,
    meta: RequestMeta,
    who: { email?: string; user?: AppUser; details?: Record<string, unknown> } = {},
  ): Promise<OidcRefusal> {
    const principal: Principal = who.email
      ? {
          kind: 'user',
          id: who.user?.id ?? null,
          role: who.user?.role ?? 'public',
          organisationId: who.user?.organisationId ?? null,
          organisationCode: null,
          label: who.email,
        }
      : ANONYMOUS;
    await this.audit.record(
      { principal, requestId: meta.requestId, ip: meta.ip },
      {
        action: 'auth.sign_in_failed',
        details: { method: 'oidc', reason: r.reason, ...(who.details ?? {}) },
      },
    );
    return r;
  }
}
