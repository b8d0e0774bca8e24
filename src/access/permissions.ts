/**
 * Who may do what: the one permission table. Every HTTP route names one permission (or is marked
 * public); the access guard refuses a route that names neither, and a test walks every route × role.
 */
export const ROLES = ['admin', 'moderator', 'commissioner', 'analyst', 'partner'] as const;
export type Role = (typeof ROLES)[number];

/** The role anonymous callers get when anonymous search is switched on (public sharing level only). */
export const ANONYMOUS_ROLE = 'public' as const;
export type ScopeRole = Role | typeof ANONYMOUS_ROLE;

const ALL: readonly ScopeRole[] = ROLES;
const ICB: readonly ScopeRole[] = ['admin', 'moderator', 'commissioner', 'analyst'];
const REVIEWERS: readonly ScopeRole[] = ['admin', 'moderator', 'analyst'];
const STAFF: readonly ScopeRole[] = ['admin', 'moderator'];
const ADMIN: readonly ScopeRole[] = ['admin'];

export const PERMISSIONS = {
  /** Search, facets, summary, trends and a single insight, within the caller's scope. */
  'insights.read': [...ALL, ANONYMOUS_ROLE],
  /** Download a result set (CSV, XLSX, JSON). */
  'insights.export': ['admin', 'moderator', 'commissioner', 'analyst'],
  /** See the demographics of single comments and unsuppressed small demographic counts. */
  'insights.rowLevelDemographics': REVIEWERS,
  /** Accept, reject or add tags and correct sentiment. */
  'insights.review': REVIEWERS,
  /** Moderation: approve or reject items and batches, correct redactions, safeguarding list. */
  'moderation.manage': STAFF,
  /** Upload batches (partners for their own organisation; admins may name another). */
  'batches.create': ['admin', 'moderator', 'partner', 'analyst'],
  /** Batch list, status and rejections, within the caller's scope. */
  'batches.read': ALL,
  /** Delete a batch and its insights now (owners only before approval). */
  'batches.delete': ['admin', 'moderator', 'partner'],
  /** Read the taxonomy. */
  'taxonomy.read': ALL,
  /** Change the taxonomy and its lexicon rules. */
  'taxonomy.manage': STAFF,
  /** Read the audit log. */
  'audit.read': ADMIN,
  /** Manage users, API keys and organisations. */
  'access.manage': ADMIN,
  /** Who am I; sign out. */
  'session.self': ALL,
} as const satisfies Record<string, readonly ScopeRole[]>;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

export function can(role: ScopeRole, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly ScopeRole[]).includes(role);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export { ICB as ICB_ROLES };
