import { quoteValue, valueList } from '../common/meili-literal';
import type { ScopeRole } from './permissions';

/**
 * Which comments (and batches) a caller may see, decided once from the role and organisation and
 * applied to every query path: the search index, PostgreSQL queries and batch lists alike. An
 * omitted list means "no restriction on that axis"; an empty list means "none".
 */
export interface AccessScope {
  /** Sharing levels visible across all organisations; omitted = every level. */
  sharingLevels?: string[];
  /** Confines results to these organisations (e.g. a partner's own dashboard); omitted = all. */
  organisationIds?: string[];
  /** The caller's organisation: its own insight is visible at any sharing level and moderation state. */
  ownOrganisationId?: string;
  /** Moderators and admins see comments awaiting or refused approval from every organisation. */
  includeUnapproved?: boolean;
}

/**
 * Sharing levels each role sees across all organisations (see the access model): `public` for
 * everyone, `system` for every signed-in partner, `icb` for ICB roles, `restricted` for admins and
 * moderators. An organisation always sees its own insight, approved or not; everyone else sees
 * only approved insight, except admins and moderators who review it.
 */
export function scopeFor(role: ScopeRole, organisationId: string | null): AccessScope {
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

/** Every comment and batch: for the CLI and workers, which act for the bank itself. */
export const UNRESTRICTED: AccessScope = { includeUnapproved: true };

/**
 * No organisation's comments are visible: the scope is empty. Callers can answer at once
 * instead of querying; the compiled filters still match nothing, so a caller that forgets
 * cannot leak.
 */
export function scopeMatchesNothing(scope: AccessScope): boolean {
  const noLevels = scope.sharingLevels !== undefined && scope.sharingLevels.length === 0;
  const noOrgs = scope.organisationIds !== undefined && scope.organisationIds.length === 0;
  return noOrgs || (noLevels && !scope.ownOrganisationId);
}

/** `IN []` is not valid Meilisearch syntax; this matches no document because every one has a level. */
const MATCH_NOTHING = 'sharingLevel IS NULL';

/**
 * The scope as Meilisearch filter clauses, in array form: every inner array is an OR of
 * expressions and the outer array ANDs them. The rule, on both compilations below:
 * (sharing level visible OR own organisation) AND (approved OR own organisation), further
 * confined to `organisationIds` when given.
 */
export function toMeiliFilter(scope: AccessScope): string[][] {
  if (scopeMatchesNothing(scope)) return [[MATCH_NOTHING]];
  const own = scope.ownOrganisationId;
  const ownClause = own === undefined ? undefined : `organisationId = ${quoteValue(own)}`;
  const clauses: string[][] = [];

  if (scope.organisationIds !== undefined) {
    clauses.push([`organisationId IN ${valueList(scope.organisationIds)}`]);
  }
  if (scope.sharingLevels !== undefined) {
    const group: string[] = [];
    if (scope.sharingLevels.length > 0) {
      group.push(`sharingLevel IN ${valueList(scope.sharingLevels)}`);
    }
    if (ownClause) group.push(ownClause);
    clauses.push(group);
  }
  if (!scope.includeUnapproved) {
    clauses.push(
      ownClause ? ['moderationStatus = "approved"', ownClause] : ['moderationStatus = "approved"'],
    );
  }
  return clauses;
}

/**
 * Adds a value to the statement and returns its placeholder, typed with `cast`: values never
 * enter the SQL text. Positional (`$3::uuid`) for raw queries, named for TypeORM query builders.
 */
export type BindParam = (value: unknown, cast: string) => string;

/** The columns a scope reads: insight and batch rows both carry an organisation, level and approval. */
export interface ScopedColumns {
  organisation: string;
  sharingLevel: string;
  /** Holds 'approved' once a moderator has approved the row (or it needed no review). */
  approval: string;
}

export const INSIGHT_SCOPE_COLUMNS: ScopedColumns = {
  organisation: 'organisation_id',
  sharingLevel: 'sharing_level',
  approval: 'moderation_status',
};

export const BATCH_SCOPE_COLUMNS: ScopedColumns = {
  organisation: 'organisation_id',
  sharingLevel: 'sharing_level',
  approval: 'review_status',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The PostgreSQL twin of toMeiliFilter: the same rule as WHERE clauses to AND together (none for
 * an unrestricted scope), so trends, summaries, exports and batch lists see exactly the rows a
 * search shows. Organisation ids come from the caller's principal, never from input; a value that
 * is not an id is a programming error, refused before it reaches the statement.
 */
export function toSqlWhere(
  scope: AccessScope,
  alias: string | undefined,
  bind: BindParam,
  columns: ScopedColumns = INSIGHT_SCOPE_COLUMNS,
): string[] {
  if (scopeMatchesNothing(scope)) return ['FALSE'];
  const col = (name: string): string => (alias ? `${alias}.${name}` : name);
  const clauses: string[] = [];
  const own = scope.ownOrganisationId;
  if (own !== undefined) checkUuid(own);
  // Bound on first use: a parameter the statement never references has no type and fails.
  let ownSql: string | undefined;
  const ownClause = (): string | undefined =>
    own === undefined
      ? undefined
      : (ownSql ??= `${col(columns.organisation)} = ${bind(own, 'uuid')}`);
  if (scope.organisationIds !== undefined) {
    scope.organisationIds.forEach(checkUuid);
    clauses.push(`${col(columns.organisation)} = ANY(${bind(scope.organisationIds, 'uuid[]')})`);
  }
  if (scope.sharingLevels !== undefined) {
    const group: string[] = [];
    if (scope.sharingLevels.length > 0) {
      group.push(`${col(columns.sharingLevel)} = ANY(${bind(scope.sharingLevels, 'text[]')})`);
    }
    const ownGroup = ownClause();
    if (ownGroup) group.push(ownGroup);
    clauses.push(`(${group.join(' OR ')})`);
  }
  if (!scope.includeUnapproved) {
    const ownApproval = ownClause();
    clauses.push(
      ownApproval
        ? `(${col(columns.approval)} = 'approved' OR ${ownApproval})`
        : `${col(columns.approval)} = 'approved'`,
    );
  }
  return clauses;
}

function checkUuid(v: string): void {
  if (!UUID.test(v)) throw new Error('An access scope names an organisation that is not an id');
}
