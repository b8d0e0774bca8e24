import { can, type ScopeRole } from '../access/permissions';
import type { Principal } from '../access/principal';
import { principalOf } from '../access/request-context';
import type { SearchScope } from './query/filter-builder';

/** Who is asking, as every query path (search, facets, trends, summary, export, detail) sees it. */
export interface CallerScope {
  role: ScopeRole;
  /** Which comments the caller may see; applied to the index and to PostgreSQL alike. */
  scope: SearchScope;
  /** May see the demographics of single comments and unsuppressed demographic counts. */
  rowLevelDemographics: boolean;
  /** May download result sets. */
  canExport: boolean;
}

/**
 * Sharing levels each role sees across all organisations (see the access model): `public` for
 * everyone, `system` for every signed-in partner, `icb` for ICB roles, `restricted` for admins and
 * moderators. An organisation always sees its own insight, approved or not; everyone else sees
 * only approved insight, except admins and moderators who review it.
 */
function scopeFor(role: ScopeRole, organisationId: string | null): SearchScope {
  const own = organisationId === null ? {} : { ownOrganisationId: organisationId };
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

/** What a principal may see: the one place every search path takes its scope from. */
export function scopeForPrincipal(p: Principal): CallerScope {
  return {
    role: p.role,
    scope: scopeFor(p.role, p.organisationId),
    rowLevelDemographics: can(p.role, 'insights.rowLevelDemographics'),
    canExport: can(p.role, 'insights.export'),
  };
}

/** The scope of the request's caller (the access guard has authenticated it). */
export function scopeForRequest(req: { principal?: Principal }): CallerScope {
  return scopeForPrincipal(principalOf(req));
}
