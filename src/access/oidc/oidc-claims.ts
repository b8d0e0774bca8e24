import type { Role } from '../permissions';
import type { OidcSettings } from './oidc-settings';

/** A person as the identity provider describes them, mapped to the bank's terms. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string;
  displayName: string;
  role: Role;
  organisationCode: string;
  /** False only when the provider says the email address is unverified. */
  emailVerified: boolean;
}

export type ClaimsRefusal = 'no_subject' | 'no_email' | 'no_role' | 'no_organisation';

export type ClaimsOutcome =
  | { ok: true; identity: OidcIdentity }
  | {
      ok: false;
      reason: ClaimsRefusal;
      message: string;
      email?: string;
      /** The role claim's values, so an administrator can see what to add to OIDC_ROLE_MAP. */
      roleClaimValues?: string[];
    };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_SHOWN_VALUES = 20;

type Claims = Record<string, unknown>;

/**
 * A claim by name; a dotted name (`realm_access.roles`) reaches into nested objects when no claim
 * has that exact name.
 */
export function claim(claims: Claims, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(claims, name)) return claims[name];
  let at: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof at !== 'object' || at === null || Array.isArray(at)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(at, part)) return undefined;
    at = (at as Claims)[part];
  }
  return at;
}

/** A claim's string values: one string, or the strings of an array. */
export function claimStrings(value: unknown): string[] {
  const all = Array.isArray(value) ? (value as unknown[]) : [value];
  return all
    .filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
    .map((v) => String(v).trim())
    .filter((v) => v !== '');
}

/** The email address: `email`, else `preferred_username`, else `upn` (the first that is one). */
export function emailFrom(claims: Claims): string | null {
  for (const name of ['email', 'preferred_username', 'upn']) {
    const v = claims[name];
    if (typeof v === 'string' && EMAIL.test(v.trim()) && v.trim().length <= 320)
      return v.trim().toLowerCase();
  }
  return null;
}

/**
 * The bank role the claim values grant. When a person holds several mapped values, the one listed
 * first in OIDC_ROLE_MAP wins, so the operator decides the precedence.
 */
export function roleFrom(values: readonly string[], roleMap: OidcSettings['roleMap']): Role | null {
  const held = new Set(values);
  return roleMap.find((m) => held.has(m.claimValue))?.role ?? null;
}

/** The organisation code: the organisation claim when present, else OIDC_DEFAULT_ORG. */
export function organisationFrom(
  claims: Claims,
  orgClaim: string | undefined,
  defaultOrg: string | undefined,
): string | null {
  if (orgClaim) {
    const fromClaim = claimStrings(claim(claims, orgClaim))[0];
    if (fromClaim) return fromClaim;
  }
  return defaultOrg ?? null;
}

/** Maps validated ID token claims to an identity, or says why the person may not sign in. */
export function mapClaims(
  claims: Claims,
  s: Pick<OidcSettings, 'roleClaim' | 'roleMap' | 'orgClaim' | 'defaultOrg'>,
): ClaimsOutcome {
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  const issuer = typeof claims.iss === 'string' ? claims.iss : '';
  if (!subject || !issuer)
    return { ok: false, reason: 'no_subject', message: 'The sign-in did not name a person.' };
  const email = emailFrom(claims);
  if (!email)
    return {
      ok: false,
      reason: 'no_email',
      message:
        'Your account did not share an email address with the Insight Bank (email, preferred_username or upn). Ask your administrator to add the email claim.',
    };
  const values = claimStrings(claim(claims, s.roleClaim));
  const role = roleFrom(values, s.roleMap);
  if (!role)
    return {
      ok: false,
      reason: 'no_role',
      email,
      roleClaimValues: values.slice(0, MAX_SHOWN_VALUES).map((v) => v.slice(0, 200)),
      message:
        'Your account has no Insight Bank role. Ask your administrator to assign you one of the Insight Bank roles, then sign in again.',
    };
  const organisationCode = organisationFrom(claims, s.orgClaim, s.defaultOrg);
  if (!organisationCode)
    return {
      ok: false,
      reason: 'no_organisation',
      email,
      message:
        'Your account does not say which organisation you belong to. Ask your administrator to add the organisation claim.',
    };
  const name = typeof claims.name === 'string' ? claims.name.trim().slice(0, 200) : '';
  return {
    ok: true,
    identity: {
      issuer,
      subject,
      email,
      displayName: name,
      role,
      organisationCode,
      emailVerified: claims.email_verified !== false,
    },
  };
}

/**
 * Where to send someone after signing in: a path on this site only, never another origin.
 * Anything else (absolute URLs, `//host`, backslashes, control characters) gives undefined.
 */
export function safeReturnTo(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2000) return undefined;
  if (!raw.startsWith('/') || raw.startsWith('//')) return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(raw)) return undefined;
  let url: URL;
  try {
    url = new URL(raw, 'http://bank.invalid');
  } catch {
    return undefined;
  }
  if (url.origin !== 'http://bank.invalid') return undefined;
  if (url.pathname.startsWith('/auth/oidc/')) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}
