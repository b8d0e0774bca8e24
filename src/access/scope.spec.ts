import {
  BATCH_SCOPE_COLUMNS,
  scopeMatchesNothing,
  toMeiliFilter,
  toSqlWhere,
  type AccessScope,
  type ScopedColumns,
} from './scope';

const OWN = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';

/** Positional placeholders, as the insight queries bind them. */
function sql(scope: AccessScope, alias?: string, columns?: ScopedColumns) {
  const params: unknown[] = [];
  const clauses = toSqlWhere(
    scope,
    alias,
    (value, cast) => {
      params.push(value);
      return `$${params.length}::${cast}`;
    },
    columns,
  );
  return { clauses, params };
}

describe('one scope, compiled for Meilisearch and PostgreSQL', () => {
  const partner: AccessScope = { sharingLevels: ['public', 'system'], ownOrganisationId: OWN };

  it('writes the same rule for both: (level OR own) AND (approved OR own)', () => {
    expect(toMeiliFilter(partner)).toEqual([
      ['sharingLevel IN ["public", "system"]', `organisationId = "${OWN}"`],
      ['moderationStatus = "approved"', `organisationId = "${OWN}"`],
    ]);
    expect(sql(partner, 'i')).toEqual({
      clauses: [
        '(i.sharing_level = ANY($1::text[]) OR i.organisation_id = $2::uuid)',
        "(i.moderation_status = 'approved' OR i.organisation_id = $2::uuid)",
      ],
      params: [['public', 'system'], OWN],
    });
  });

  it('reads a batch’s review status where an insight has its moderation status', () => {
    expect(sql(partner, 'b', BATCH_SCOPE_COLUMNS).clauses[1]).toBe(
      "(b.review_status = 'approved' OR b.organisation_id = $2::uuid)",
    );
  });

  it('adds nothing for admins and moderators', () => {
    expect(toMeiliFilter({ includeUnapproved: true })).toEqual([]);
    expect(sql({ includeUnapproved: true, ownOrganisationId: OWN })).toEqual({
      clauses: [],
      params: [],
    });
  });

  it('confines to organisations when asked', () => {
    expect(toMeiliFilter({ organisationIds: [OTHER], includeUnapproved: true })).toEqual([
      [`organisationId IN ["${OTHER}"]`],
    ]);
    expect(sql({ organisationIds: [OTHER], includeUnapproved: true })).toEqual({
      clauses: ['organisation_id = ANY($1::uuid[])'],
      params: [[OTHER]],
    });
  });

  it('matches nothing, on both, when nothing is visible', () => {
    expect(toMeiliFilter({ sharingLevels: [] })).toEqual([['sharingLevel IS NULL']]);
    expect(sql({ organisationIds: [] })).toEqual({ clauses: ['FALSE'], params: [] });
  });

  it('refuses an organisation that is not an id rather than binding it', () => {
    expect(() => sql({ ownOrganisationId: 'x OR 1=1' })).toThrow(/not an id/);
  });

  it.each<[AccessScope, boolean]>([
    [{}, false],
    [{ sharingLevels: [] }, true],
    [{ sharingLevels: [], ownOrganisationId: OWN }, false],
    [{ organisationIds: [] }, true],
    [{ organisationIds: [], ownOrganisationId: OWN }, true],
  ])('scopeMatchesNothing(%j) is %s', (scope, nothing) => {
    expect(scopeMatchesNothing(scope)).toBe(nothing);
  });
});
