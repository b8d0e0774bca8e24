import { INSIGHTS_SETTINGS } from '../insights-index';
import {
  buildFilter,
  FILTER_FIELD_NAMES,
  FILTER_FIELDS,
  FilterError,
  filterToString,
  HOSTILE_FILTER_VALUES,
  type SearchFilters,
  usesDemographicFilter,
} from './filter-builder';
import type { AccessScope } from '../../access/scope';
import { quoteValue } from '../../common/meili-literal';

/**
 * Splits a filter expression the way Meilisearch's lexer reads string literals: a literal runs
 * from a double quote to the next double quote not preceded by a backslash, and `\\` and `\"`
 * stand for `\` and `"`. Returns the expression with each literal replaced by `?`, and the
 * decoded literals.
 */
function lex(expr: string): { skeleton: string; literals: string[] } {
  let skeleton = '';
  const literals: string[] = [];
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i];
    if (ch !== '"' && ch !== "'") {
      skeleton += ch;
      continue;
    }
    let lit = '';
    let j = i + 1;
    for (; j < expr.length && expr[j] !== ch; j++) {
      if (expr[j] === '\\' && j + 1 < expr.length) j++;
      lit += expr[j];
    }
    if (j >= expr.length) throw new Error('unterminated literal');
    literals.push(lit);
    skeleton += '?';
    i = j;
  }
  return { skeleton, literals };
}

type Doc = Record<string, unknown>;

/** Evaluates the expressions buildFilter produces, to state scope rules as who-sees-what. */
function matches(doc: Doc, filter: string[][]): boolean {
  return filter.every((group) => group.some((expr) => matchesOne(doc, expr)));
}

function matchesOne(doc: Doc, expr: string): boolean {
  const { skeleton, literals } = lex(expr);
  let m = /^(\w+) = \?$/.exec(skeleton);
  if (m) return String(doc[m[1]]) === literals[0];
  m = /^(\w+) IN \[\?(, \?)*\]$/.exec(skeleton);
  if (m) return literals.includes(String(doc[m[1]]));
  m = /^(\w+) = (true|false)$/.exec(skeleton);
  if (m) return doc[m[1]] === (m[2] === 'true');
  m = /^(\w+) (>=|<) (\d+)$/.exec(skeleton);
  if (m) {
    const v = doc[m[1]];
    if (typeof v !== 'number') return false;
    return m[2] === '>=' ? v >= Number(m[3]) : v < Number(m[3]);
  }
  m = /^(\w+) IS NULL$/.exec(skeleton);
  if (m) return doc[m[1]] === null || doc[m[1]] === undefined;
  throw new Error(`unexpected filter expression: ${skeleton}`);
}

const OWN = '11111111-1111-1111-1111-111111111111';
const OTHER = '22222222-2222-2222-2222-222222222222';
const comment = (over: Doc): Doc => ({
  organisationId: OTHER,
  sharingLevel: 'system',
  moderationStatus: 'approved',
  ...over,
});

describe('quoteValue', () => {
  it.each([
    ['plain', '"plain"'],
    ['', '""'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['ends with \\', '"ends with \\\\"'],
    ['\\"', '"\\\\\\""'],
    ["it's", '"it\'s"'],
  ])('%j → %s', (value, quoted) => {
    expect(quoteValue(value)).toBe(quoted);
    expect(lex(quoted).literals).toEqual([value]);
  });
});

describe('buildFilter', () => {
  it('maps only whitelisted fields to index attributes, every one of them filterable', () => {
    for (const name of FILTER_FIELD_NAMES) {
      expect(INSIGHTS_SETTINGS.filterableAttributes).toContain(FILTER_FIELDS[name].attribute);
    }
    expect(INSIGHTS_SETTINGS.filterableAttributes).toContain('commentDateTs');
  });

  it.each<[string, SearchFilters, string[][]]>([
    ['one theme', { theme: ['staff'] }, [['themeCodes = "staff"']]],
    [
      'two themes (either)',
      { theme: ['staff', 'access'] },
      [['themeCodes IN ["staff", "access"]']],
    ],
    ['repeated values once', { theme: ['staff', 'staff'] }, [['themeCodes = "staff"']]],
    [
      'fields are ANDed',
      { district: ['E07000110'], sentiment: ['negative'] },
      [['ladCode = "E07000110"'], ['sentiment = "negative"']],
    ],
    ['a flag', { safeguarding: ['true'] }, [['safeguarding = true']]],
    [
      'both flag values',
      { needsReview: ['true', 'false'] },
      [['needsReview = true', 'needsReview = false']],
    ],
    [
      'an HCP area with a comma',
      { hcpArea: ['Dartford, Gravesham and Swanley'] },
      [['hcpArea = "Dartford, Gravesham and Swanley"']],
    ],
    [
      'a demographic',
      { ageBand: ['85+', 'prefer_not_to_say'] },
      [['ageBand IN ["85+", "prefer_not_to_say"]']],
    ],
    ['a start date', { dateFrom: '2024-03-01' }, [['commentDateTs >= 1709251200']]],
    [
      'an end date, inclusive of the whole day',
      { dateTo: '2024-03-01' },
      [['commentDateTs < 1709337600']],
    ],
    [
      'one day',
      { dateFrom: '2024-02-29', dateTo: '2024-02-29' },
      [['commentDateTs >= 1709164800'], ['commentDateTs < 1709251200']],
    ],
    ['empty lists are ignored', { theme: [], sex: [] }, []],
  ])('%s', (_name, filters, expected) => {
    expect(buildFilter(filters, { includeUnapproved: true })).toEqual(expected);
  });

  it.each<[string, SearchFilters, string, RegExp]>([
    [
      'a sentiment outside the scale',
      { sentiment: ['angry'] },
      'sentiment',
      /sentiment must be one of: very_negative/,
    ],
    [
      'a flag that is not true/false',
      { safeguarding: ['yes'] },
      'safeguarding',
      /safeguarding must be one of: true, false/,
    ],
    [
      'an unknown sharing level',
      { sharingLevel: ['everyone'] },
      'sharingLevel',
      /sharingLevel must be one of/,
    ],
    [
      'a date in another format',
      { dateFrom: '01/03/2024' },
      'dateFrom',
      /dateFrom must be a date written yyyy-mm-dd/,
    ],
    ['a date that does not exist', { dateTo: '2023-02-29' }, 'dateTo', /dateTo must be a date/],
    ['a month 13', { dateFrom: '2024-13-01' }, 'dateFrom', /dateFrom/],
    [
      'dates the wrong way round',
      { dateFrom: '2024-05-01', dateTo: '2024-04-01' },
      'dateFrom',
      /dateFrom must not be after dateTo/,
    ],
  ])('refuses %s, naming the parameter', (_name, filters, field, message) => {
    let error: unknown;
    try {
      buildFilter(filters, {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FilterError);
    expect((error as FilterError).field).toBe(field);
    expect((error as FilterError).message).toMatch(message);
  });

  describe('hostile values', () => {
    const freeFields = FILTER_FIELD_NAMES.filter((n) => !FILTER_FIELDS[n].values);
    const benign = (field: (typeof freeFields)[number]): string[][] =>
      buildFilter({ [field]: ['x'] }, { sharingLevels: ['public'], ownOrganisationId: 'x' });

    it('covers quotes, operators, brackets, ranges and backslashes', () => {
      const joined = HOSTILE_FILTER_VALUES.join(' ');
      for (const token of [
        '"',
        '\\',
        ' OR ',
        ' AND ',
        'NOT ',
        '(',
        ')',
        '[',
        ']',
        ' TO ',
        '!=',
        '=',
        'IN [',
      ]) {
        expect(joined).toContain(token);
      }
    });

    it.each(HOSTILE_FILTER_VALUES.map((v) => [v]))(
      '%j stays one literal in every field and in the scope',
      (value) => {
        for (const field of freeFields) {
          const filter = buildFilter(
            { [field]: [value] },
            { sharingLevels: ['public'], ownOrganisationId: value },
          );
          const expected = benign(field);
          expect(filter).toHaveLength(expected.length);
          filter.forEach((group, g) => {
            expect(group).toHaveLength(expected[g].length);
            group.forEach((expr, e) => {
              const hostile = lex(expr);
              expect(hostile.skeleton).toBe(lex(expected[g][e]).skeleton);
              for (const lit of hostile.literals)
                expect(['public', 'approved', value]).toContain(lit);
            });
          });
        }
      },
    );

    it.each(HOSTILE_FILTER_VALUES.map((v) => [v]))(
      '%j as a theme finds no restricted comment',
      (value) => {
        const restricted = comment({ sharingLevel: 'restricted', themeCodes: 'staff' });
        const filter = buildFilter({ theme: [value] }, { sharingLevels: ['public', 'system'] });
        expect(matches(restricted, filter)).toBe(false);
      },
    );

    it('are refused outright for enumerated fields', () => {
      for (const value of HOSTILE_FILTER_VALUES) {
        expect(() => buildFilter({ sharingLevel: [value] }, {})).toThrow(FilterError);
        expect(() => buildFilter({ needsReview: [value] }, {})).toThrow(FilterError);
      }
    });
  });
});

describe('scope', () => {
  const partner: AccessScope = { sharingLevels: ['public', 'system'], ownOrganisationId: OWN };

  it.each<[string, AccessScope, Doc, boolean]>([
    ['a partner sees shared comments of others', partner, comment({}), true],
    [
      'a partner does not see restricted comments of others',
      partner,
      comment({ sharingLevel: 'restricted' }),
      false,
    ],
    [
      'a partner does not see ICB-only comments of others',
      partner,
      comment({ sharingLevel: 'icb' }),
      false,
    ],
    [
      'a partner sees its own restricted comments',
      partner,
      comment({ organisationId: OWN, sharingLevel: 'restricted' }),
      true,
    ],
    [
      'a partner sees its own comments awaiting approval',
      partner,
      comment({ organisationId: OWN, moderationStatus: 'pending' }),
      true,
    ],
    [
      'a partner does not see others awaiting approval',
      partner,
      comment({ moderationStatus: 'pending' }),
      false,
    ],
    [
      'the public sees approved public comments',
      { sharingLevels: ['public'] },
      comment({ sharingLevel: 'public' }),
      true,
    ],
    ['the public does not see system comments', { sharingLevels: ['public'] }, comment({}), false],
    [
      'the public does not see pending public comments',
      { sharingLevels: ['public'] },
      comment({ sharingLevel: 'public', moderationStatus: 'pending' }),
      false,
    ],
    [
      'a moderator sees pending comments of others',
      { includeUnapproved: true },
      comment({ moderationStatus: 'pending', sharingLevel: 'restricted' }),
      true,
    ],
    [
      'a scope confined to organisations excludes others',
      { organisationIds: [OWN] },
      comment({}),
      false,
    ],
    [
      'a scope confined to organisations includes them',
      { organisationIds: [OTHER] },
      comment({}),
      true,
    ],
    [
      'no sharing level and no organisation sees nothing',
      { sharingLevels: [] },
      comment({}),
      false,
    ],
    [
      'no sharing level still sees its own',
      { sharingLevels: [], ownOrganisationId: OTHER },
      comment({ sharingLevel: 'restricted' }),
      true,
    ],
    [
      'an empty organisation list sees nothing',
      { organisationIds: [], includeUnapproved: true },
      comment({}),
      false,
    ],
  ])('%s', (_name, scope, doc, visible) => {
    expect(matches(doc, buildFilter({}, scope))).toBe(visible);
  });

  it('cannot be widened by a user filter: filters only add AND clauses', () => {
    const scoped = buildFilter({}, partner);
    const withFilters = buildFilter(
      { sharingLevel: ['restricted'], organisation: [OTHER] },
      partner,
    );
    expect(withFilters.slice(0, scoped.length)).toEqual(scoped);
    expect(matches(comment({ sharingLevel: 'restricted' }), withFilters)).toBe(false);
  });

  it('writes the scope as (sharing level OR own organisation) AND (approved OR own organisation)', () => {
    expect(filterToString(buildFilter({ theme: ['staff'] }, partner))).toBe(
      `(sharingLevel IN ["public", "system"] OR organisationId = "${OWN}") AND (moderationStatus = "approved" OR organisationId = "${OWN}") AND themeCodes = "staff"`,
    );
  });
});

describe('usesDemographicFilter', () => {
  it.each<[SearchFilters, boolean]>([
    [{}, false],
    [{ theme: ['staff'], sentiment: ['negative'], district: ['E07000110'] }, false],
    [{ ethnicityGroup: ['black'] }, true],
    [{ carer: ['yes'] }, true],
    [{ religion: [] }, false],
  ])('%j → %s', (filters, expected) => {
    expect(usesDemographicFilter(filters)).toBe(expected);
  });
});
