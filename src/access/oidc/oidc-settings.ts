import { isRole, ROLES, type Role } from '../permissions';

/** The route the identity provider sends people back to; OIDC_REDIRECT_URL must end with it. */
export const OIDC_CALLBACK_PATH = '/auth/oidc/callback';
export const DEFAULT_OIDC_SCOPES = 'openid email profile';
export const DEFAULT_OIDC_ROLE_CLAIM = 'roles';
export const DEFAULT_OIDC_BUTTON_LABEL = 'Sign in with your NHS account';

/** The OIDC_* variables as the configuration schema holds them (all optional but three defaults). */
export interface OidcVariables {
  OIDC_ISSUER?: string;
  OIDC_CLIENT_ID?: string;
  OIDC_CLIENT_SECRET?: string;
  OIDC_REDIRECT_URL?: string;
  OIDC_SCOPES: string;
  OIDC_ROLE_CLAIM: string;
  OIDC_ROLE_MAP?: string;
  OIDC_ORG_CLAIM?: string;
  OIDC_DEFAULT_ORG?: string;
  OIDC_BUTTON_LABEL: string;
}

/** One claim value and the bank role it grants; the list keeps OIDC_ROLE_MAP's order. */
export interface RoleMapping {
  claimValue: string;
  role: Role;
}

/** OIDC sign-in as configured; only built when OIDC_ISSUER is set and the set-up is valid. */
export interface OidcSettings {
  issuer: URL;
  /** http:// issuer on this machine (a development or test identity provider). */
  allowInsecureIssuer: boolean;
  clientId: string;
  clientSecret?: string;
  redirectUrl: URL;
  scopes: string;
  roleClaim: string;
  roleMap: readonly RoleMapping[];
  orgClaim?: string;
  defaultOrg?: string;
  buttonLabel: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

type UrlCheck = { url: URL; insecureLoopback: boolean } | { problem: string };

/** An https URL, or http on this machine only; no query or fragment. */
function checkUrl(name: string, raw: string, example: string): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: `${name} must be a URL, e.g. ${example}` };
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    return {
      problem: `${name} must be an https:// URL (http:// only for localhost or 127.0.0.1), e.g. ${example}`,
    };
  if (url.search || url.hash || url.username || url.password)
    return { problem: `${name} must not carry a query, a fragment or credentials` };
  return { url, insecureLoopback: url.protocol === 'http:' };
}

/**
 * Parses OIDC_ROLE_MAP: comma-separated `<claim value>=<role>` pairs, e.g.
 * `InsightBank.Admin=admin,InsightBank.Analyst=analyst`. The last `=` splits a pair, so claim
 * values (group ids, URIs) may themselves hold `=`.
 */
export function parseRoleMap(raw: string): { mappings: RoleMapping[]; problems: string[] } {
  const mappings: RoleMapping[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const entry of raw.split(',')) {
    const item = entry.trim();
    if (!item) continue;
    const at = item.lastIndexOf('=');
    const claimValue = at > 0 ? item.slice(0, at).trim() : '';
    const role = at > 0 ? item.slice(at + 1).trim() : '';
    if (!claimValue || !role) {
      problems.push(`OIDC_ROLE_MAP entry "${item}" must look like <claim value>=<role>`);
      continue;
    }
    if (!isRole(role)) {
      problems.push(
        `OIDC_ROLE_MAP entry "${item}": ${role} is not a role (one of ${ROLES.join(', ')})`,
      );
      continue;
    }
    if (seen.has(claimValue)) {
      problems.push(`OIDC_ROLE_MAP names the claim value "${claimValue}" more than once`);
      continue;
    }
    seen.add(claimValue);
    mappings.push({ claimValue, role });
  }
  if (!mappings.length && !problems.length)
    problems.push('OIDC_ROLE_MAP must map at least one claim value to a role');
  return { mappings, problems };
}

function blank(v: string | undefined): boolean {
  return v === undefined || v.trim() === '';
}

/**
 * Everything wrong with the OIDC set-up, for the start-up check (empty when OIDC_ISSUER is unset:
 * OIDC sign-in is then off). Never quotes OIDC_CLIENT_SECRET.
 */
export function oidcProblems(v: OidcVariables): string[] {
  if (blank(v.OIDC_ISSUER)) return [];
  const problems: string[] = [];
  const issuer = checkUrl(
    'OIDC_ISSUER',
    v.OIDC_ISSUER!.trim(),
    'https://login.microsoftonline.com/<tenant id>/v2.0',
  );
  if ('problem' in issuer) problems.push(issuer.problem);
  const missing = (['OIDC_CLIENT_ID', 'OIDC_REDIRECT_URL', 'OIDC_ROLE_MAP'] as const).filter((n) =>
    blank(v[n]),
  );
  if (missing.length)
    problems.push(
      `${missing.join(', ')} must be set when OIDC_ISSUER is set (OIDC sign-in needs ${missing.length === 1 ? 'it' : 'them'})`,
    );
  if (blank(v.OIDC_ORG_CLAIM) && blank(v.OIDC_DEFAULT_ORG))
    problems.push(
      'OIDC_DEFAULT_ORG or OIDC_ORG_CLAIM must be set when OIDC_ISSUER is set (the organisation of people who sign in)',
    );
  if (!blank(v.OIDC_REDIRECT_URL)) {
    const example = `https://bank.example.nhs.uk${OIDC_CALLBACK_PATH}`;
    const redirect = checkUrl('OIDC_REDIRECT_URL', v.OIDC_REDIRECT_URL!.trim(), example);
    if ('problem' in redirect) problems.push(redirect.problem);
    else if (!redirect.url.pathname.endsWith(OIDC_CALLBACK_PATH))
      problems.push(`OIDC_REDIRECT_URL must end with ${OIDC_CALLBACK_PATH}, e.g. ${example}`);
  }
  if (!blank(v.OIDC_ROLE_MAP)) problems.push(...parseRoleMap(v.OIDC_ROLE_MAP!).problems);
  if (!v.OIDC_SCOPES.split(/\s+/).includes('openid'))
    problems.push('OIDC_SCOPES must include openid, e.g. "openid email profile"');
  if (blank(v.OIDC_ROLE_CLAIM)) problems.push('OIDC_ROLE_CLAIM must name a claim, e.g. roles');
  return problems;
}

/** The OIDC set-up, or null when OIDC sign-in is off. Call on a validated configuration. */
export function oidcSettingsFrom(v: OidcVariables): OidcSettings | null {
  if (blank(v.OIDC_ISSUER)) return null;
  const problems = oidcProblems(v);
  if (problems.length) throw new Error(`OIDC settings are invalid: ${problems.join('; ')}`);
  const issuer = new URL(v.OIDC_ISSUER!.trim());
  const secret = v.OIDC_CLIENT_SECRET?.trim();
  return {
    issuer,
    allowInsecureIssuer: issuer.protocol === 'http:',
    clientId: v.OIDC_CLIENT_ID!.trim(),
    clientSecret: secret ? secret : undefined,
    redirectUrl: new URL(v.OIDC_REDIRECT_URL!.trim()),
    scopes: v.OIDC_SCOPES.trim().split(/\s+/).join(' '),
    roleClaim: v.OIDC_ROLE_CLAIM.trim(),
    roleMap: parseRoleMap(v.OIDC_ROLE_MAP!).mappings,
    orgClaim: blank(v.OIDC_ORG_CLAIM) ? undefined : v.OIDC_ORG_CLAIM!.trim(),
    defaultOrg: blank(v.OIDC_DEFAULT_ORG) ? undefined : v.OIDC_DEFAULT_ORG!.trim(),
    buttonLabel: v.OIDC_BUTTON_LABEL.trim() || DEFAULT_OIDC_BUTTON_LABEL,
  };
}

/** What the web pages need to show (or hide) the sign-in button. */
export function oidcButton(v: OidcVariables): { enabled: boolean; label: string } {
  return {
    enabled: !blank(v.OIDC_ISSUER),
    label: v.OIDC_BUTTON_LABEL.trim() || DEFAULT_OIDC_BUTTON_LABEL,
  };
}
