import type { AccessScope } from '../access/scope';
import { FilterError, HOSTILE_FILTER_VALUES } from './query/filter-builder';
import { buildSqlWhere } from './sql-where';

const ORG = '11111111-1111-4111-8111-111111111111';
const BATCH = '22222222-2222-4222-8222-222222222222';

describe('buildSqlWhere: search filters as parameterised SQL', () => {
  it.each<[string, Parameters<typeof buildSqlWhere>, string, unknown[]]>([
    ['no filters, full access', [{}, { includeUnapproved: true }], 'TRUE', []],
    [
      'an own organisation with full access adds no parameter',
      [{}, { includeUnapproved: true, ownOrganisationId: ORG }],
      'TRUE',
      [],
    ],
    ['approved only by default', [{}, {}], "moderation_status = 'approved'", []],
    [
      'sharing levels with the own organisation',
      [{}, { sharingLevels: ['public', 'system'], ownOrganisationId: ORG }],
      "(sharing_level = ANY($1::text[]) OR organisation_id = $2::uuid) AND (moderation_status = 'approved' OR organisation_id = $2::uuid)",
      [['public', 'system'], ORG],
    ],
    ['an empty scope matches nothing', [{}, { organisationIds: [] }], 'FALSE', []],
    [
      'lists become ANY over one array parameter',
      [{ hcpArea: ['West Kent', 'East Kent'], sex: ['male'] }, { includeUnapproved: true }],
      'hcp_area = ANY($1::text[]) AND sex = ANY($2::text[])',
      [['West Kent', 'East Kent'], ['male']],
    ],
    [
      'ids, booleans and dates are typed',
      [
        { batch: [BATCH], needsReview: ['true'], dateFrom: '2024-01-01', dateTo: '2024-01-31' },
        { includeUnapproved: true },
      ],
      'batch_id = ANY($1::uuid[]) AND needs_review = ANY($2::boolean[]) AND comment_date >= $3::date AND comment_date <= $4::date',
      [[BATCH], [true], '2024-01-01', '2024-01-31'],
    ],
    [
      'a derived field is matched on the expression that derives it, qualified',
      [{ deprivationQuintile: ['1', 'unknown'] }, { includeUnapproved: true }, { alias: 'i' }],
      "CASE WHEN i.deprivation_decile IS NULL THEN 'unknown' ELSE ((i.deprivation_decile + 1) / 2)::text END = ANY($1::text[])",
      [['1', 'unknown']],
    ],
  ])('%s', (_name, args, sql, params) => {
    expect(buildSqlWhere(...args)).toEqual({ sql, params });
  });

  it('widens a theme to the themes below it, as the index does', () => {
    const where = buildSqlWhere(
      { category: ['access'] },
      { includeUnapproved: true },
      {
        alias: 'i',
        firstParam: 3,
        expandTheme: (c) => (c === 'access' ? ['access', 'appointments', 'phones'] : [c]),
      },
    );
    expect(where).toEqual({
      sql: 'i.theme_codes && $3::text[]',
      params: [['access', 'appointments', 'phones']],
    });
  });

  it('restricts to the ids a text query matched', () => {
    expect(buildSqlWhere({}, { includeUnapproved: true }, { ids: [BATCH] })).toEqual({
      sql: 'id = ANY($1::uuid[])',
      params: [[BATCH]],
    });
  });

  it('never puts a value into the SQL text', () => {
    const scope: AccessScope = { sharingLevels: ['icb'] };
    for (const v of HOSTILE_FILTER_VALUES) {
      if (v === '') continue;
      const where = buildSqlWhere({ hcpArea: [v], language: [v], postcodeDistrict: [v] }, scope);
      expect(where.sql).toBe(
        "(sharing_level = ANY($1::text[])) AND moderation_status = 'approved' AND hcp_area = ANY($2::text[]) AND postcode_district = ANY($3::text[]) AND language = ANY($4::text[])",
      );
      expect(where.params.slice(1)).toEqual([[v], [v], [v]]);
    }
  });

  it.each<[string, Parameters<typeof buildSqlWhere>[0]]>([
    ['sentiment', { sentiment: ['furious'] }],
    ['organisation', { organisation: ['x" OR 1=1'] }],
    ['dateFrom', { dateFrom: '2024-13-01' }],
  ])('rejects a bad %s as the index path does', (field, filters) => {
    expect(() => buildSqlWhere(filters, {})).toThrow(FilterError);
    try {
      buildSqlWhere(filters, {});
    } catch (e) {
      expect((e as FilterError).field).toBe(field);
    }
  });
});
