import { DomainError } from '../common/domain-error';
import type { SearchScope } from './query/filter-builder';

export const ROLES = [
  'admin',
  'moderator',
  'commissioner',
  'analyst',
  'partner',
  'public',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_HEADER = 'x-insight-bank-role';
export const ORGANISATION_HEADER = 'x-insight-bank-organisation';

/** Who is asking, as every query path (search, facets, trends, summary, export, detail) sees it. */
export interface CallerScope {
  role: Role;
  /** Which comments the caller may see; applied to the index and to PostgreSQL alike. */
  scope: SearchScope;
  /** May see the demographics of single comments and unsuppressed demographic counts. */
  rowLevelDemographics: boolean;
  /** May download result sets. */
  canExport: boolean;
}

const ROW_LEVEL: ReadonlySet<Role> = new Set(['admin', 'moderator', 'analyst']);
const EXPORTERS: ReadonlySet<Role> = new Set(['admin', 'moderator', 'analyst', 'commissioner']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Sharing levels each role sees across all organisations (see the access model). */
function scopeFor(role: Role, organisationId: string | undefined): SearchScope {
  const own = organisationId === undefined ? {} : { ownOrganisationId: organisationId };
  switch (role) {
    case 'admin':
    case 'moderator':
      return { includeUnapproved: true };
    case 'commissioner':
    case 'analyst':
      return { sharingLevels: ['public', 'system', 'icb'], ...own };
    case 'partner':
      return { sharingLevels: ['public', 'system'], ...own };
    case 'public':
      return { sharingLevels: ['public'] };
  }
}

export interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * The one place that turns a request into what its caller may see. Until sign-in exists every
 * caller is the ICB with full access; the role header lets pages and tests act as a narrower
 * role. Sign-in replaces this function, and nothing else needs to change.
 */
export function scopeForRequest(req: RequestLike): CallerScope {
  const rawRole = single(req.headers[ROLE_HEADER]);
  const role = rawRole === undefined || rawRole === '' ? 'admin' : rawRole.trim().toLowerCase();
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new DomainError('invalid_input', `${ROLE_HEADER} must be one of: ${ROLES.join(', ')}`, [
      { parameter: ROLE_HEADER, message: `${ROLE_HEADER} must be one of: ${ROLES.join(', ')}` },
    ]);
  }
  const rawOrg = single(req.headers[ORGANISATION_HEADER])?.trim().toLowerCase();
  if (rawOrg !== undefined && rawOrg !== '' && !UUID.test(rawOrg)) {
    throw new DomainError('invalid_input', `${ORGANISATION_HEADER} must be an organisation id`, [
      {
        parameter: ORGANISATION_HEADER,
        message: `${ORGANISATION_HEADER} must be an organisation id`,
      },
    ]);
  }
  const r = role as Role;
  return {
    role: r,
    scope: scopeFor(r, rawOrg === '' ? undefined : rawOrg),
    rowLevelDemographics: ROW_LEVEL.has(r),
    canExport: EXPORTERS.has(r),
  };
}

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
