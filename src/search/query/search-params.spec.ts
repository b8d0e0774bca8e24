import {
  DEFAULT_PAGE_SIZE,
  parseSearchParams,
  SearchParamError,
  type SearchRequest,
} from './search-params';

const ORG = '3f2b8c1e-5d4a-4e8b-9c7d-1a2b3c4d5e6f';

function problemsOf(query: Record<string, unknown>): Array<{ parameter: string; message: string }> {
  try {
    parseSearchParams(query);
  } catch (e) {
    if (e instanceof SearchParamError) return e.problems;
    throw e;
  }
  throw new Error('expected the parameters to be refused');
}

describe('parseSearchParams', () => {
  it('defaults to the first page of 20, by relevance, highlighted, with no filters', () => {
    expect(parseSearchParams({})).toEqual<SearchRequest>({
      q: '',
      filters: {},
      sort: 'relevance',
      page: 1,
      pageSize: DEFAULT_PAGE_SIZE,
      facets: [],
      highlight: true,
    });
  });

  it.each<[string, Record<string, string | string[]>, Partial<SearchRequest>]>([
    ['a trimmed query', { q: '  waiting times  ' }, { q: 'waiting times' }],
    [
      'repeated filter values',
      { theme: ['staff', 'access'] },
      { filters: { theme: ['staff', 'access'] } },
    ],
    [
      'comma-separated filter values',
      { theme: 'staff, access,' },
      { filters: { theme: ['staff', 'access'] } },
    ],
    [
      'both forms together, once each',
      { theme: ['staff,access', 'staff'] },
      { filters: { theme: ['staff', 'access'] } },
    ],
    [
      'HCP area names, which contain commas',
      { hcpArea: ['Dartford, Gravesham and Swanley', 'West Kent'] },
      { filters: { hcpArea: ['Dartford, Gravesham and Swanley', 'West Kent'] } },
    ],
    [
      'postcode districts in any case',
      { postcodeDistrict: 'me14,ct1' },
      { filters: { postcodeDistrict: ['ME14', 'CT1'] } },
    ],
    [
      'organisation ids in capitals',
      { organisation: ORG.toUpperCase() },
      { filters: { organisation: [ORG] } },
    ],
    [
      'enumerated values',
      { sentiment: 'negative,very_negative', ageBand: '85+' },
      { filters: { sentiment: ['negative', 'very_negative'], ageBand: ['85+'] } },
    ],
    ['flags', { safeguarding: 'true' }, { filters: { safeguarding: ['true'] } }],
    [
      'dates',
      { dateFrom: '2024-01-01', dateTo: '2024-12-31' },
      { filters: { dateFrom: '2024-01-01', dateTo: '2024-12-31' } },
    ],
    ['newest first', { sort: 'newest' }, { sort: 'newest' }],
    ['paging', { page: '3', pageSize: '100' }, { page: 3, pageSize: 100 }],
    ['the deepest reachable page', { page: '500', pageSize: '20' }, { page: 500 }],
    ['facets', { facets: 'sentiment,ageBand,sentiment' }, { facets: ['sentiment', 'ageBand'] }],
    ['highlighting off', { highlight: 'false' }, { highlight: false }],
    [
      'empty parameters from a blank form',
      { q: '', theme: '', sort: '', page: '', dateFrom: '' },
      { q: '', filters: {}, page: 1 },
    ],
  ])('accepts %s', (_name, query, expected) => {
    expect(parseSearchParams(query)).toMatchObject(expected);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['an unknown parameter', { colour: 'red' }, 'colour', "unknown parameter 'colour'"],
    ['a page size of 0', { pageSize: '0' }, 'pageSize', 'pageSize must be between 1 and 100'],
    ['a page size of 101', { pageSize: '101' }, 'pageSize', 'pageSize must be between 1 and 100'],
    [
      'a page size that is not a number',
      { pageSize: 'ten' },
      'pageSize',
      'pageSize must be between 1 and 100',
    ],
    ['a fractional page', { page: '1.5' }, 'page', 'page must be a whole number of at least 1'],
    ['page 0', { page: '0' }, 'page', 'page must be a whole number of at least 1'],
    ['a negative page', { page: '-2' }, 'page', 'page must be a whole number of at least 1'],
    [
      'a page past the last reachable result',
      { page: '101', pageSize: '100' },
      'page',
      'page is too deep: page × pageSize must be at most 10000; narrow the search or export instead',
    ],
    ['an over-long query', { q: 'x'.repeat(501) }, 'q', 'q must be at most 500 characters'],
    ['two queries', { q: ['a', 'b'] }, 'q', 'q must be given once'],
    ['a nested object', { theme: { $ne: 'x' } }, 'theme', 'theme must be text'],
    [
      'an unknown sort',
      { sort: 'popular' },
      'sort',
      'sort must be one of: relevance, newest, oldest',
    ],
    [
      'an unknown sentiment',
      { sentiment: 'angry' },
      'sentiment',
      "sentiment must be one of: very_negative, negative, neutral, positive, very_positive (got 'angry')",
    ],
    [
      'an unknown source type',
      { sourceType: 'tweet' },
      'sourceType',
      expect.stringContaining('sourceType must be one of: survey,'),
    ],
    [
      'an unknown sharing level',
      { sharingLevel: 'everyone' },
      'sharingLevel',
      "sharingLevel must be one of: public, system, icb, restricted (got 'everyone')",
    ],
    [
      'an unknown age band',
      { ageBand: '30-39' },
      'ageBand',
      expect.stringContaining('ageBand must be one of: 0-15,'),
    ],
    [
      'a flag that is not true/false',
      { needsReview: 'maybe' },
      'needsReview',
      "needsReview must be one of: true, false (got 'maybe')",
    ],
    [
      'a malformed organisation id',
      { organisation: 'acme' },
      'organisation',
      'each organisation value must be an organisation id',
    ],
    [
      'a full postcode',
      { postcodeDistrict: 'ME14 1XX' },
      'postcodeDistrict',
      'each postcodeDistrict value must be a postcode district such as ME14',
    ],
    [
      'a theme code with spaces',
      { theme: 'staff OR 1' },
      'theme',
      'each theme value must be a theme code',
    ],
    [
      'a control character',
      { hcpArea: 'West\nKent' },
      'hcpArea',
      'each hcpArea value must be at most 200 printable characters',
    ],
    [
      'too many values',
      { theme: Array.from({ length: 51 }, (_, i) => `t${i}`) },
      'theme',
      'theme accepts at most 50 values',
    ],
    [
      'an impossible date',
      { dateFrom: '2023-02-29' },
      'dateFrom',
      'dateFrom must be a real date written yyyy-mm-dd',
    ],
    [
      'a UK-style date',
      { dateTo: '31/12/2024' },
      'dateTo',
      'dateTo must be a real date written yyyy-mm-dd',
    ],
    [
      'dates the wrong way round',
      { dateFrom: '2024-06-01', dateTo: '2024-05-01' },
      'dateTo',
      'dateTo must not be before dateFrom',
    ],
    [
      'an unknown facet',
      { facets: 'sentiment,colour' },
      'facets',
      expect.stringContaining('facets must be chosen from: theme,'),
    ],
    [
      'a highlight that is not a boolean',
      { highlight: 'sometimes' },
      'highlight',
      'highlight must be true or false',
    ],
  ])('refuses %s', (_name, query, parameter, message) => {
    expect(problemsOf(query)).toEqual([{ parameter, message }]);
  });

  it('checks run-time closed lists (places) and names the value and the allowed ones', () => {
    const vocabularies = { hcpArea: ['East Kent', 'West Kent'], district: ['E07000110'] };
    const refused = (query: Record<string, unknown>) => {
      try {
        parseSearchParams(query, vocabularies);
      } catch (e) {
        if (e instanceof SearchParamError) return e.problems;
        throw e;
      }
      return [];
    };
    expect(refused({ hcpArea: 'Narnia' })).toEqual([
      {
        parameter: 'hcpArea',
        message: "hcpArea must be one of: East Kent, West Kent (got 'Narnia')",
      },
    ]);
    expect(refused({ district: 'e07000999' })).toEqual([
      { parameter: 'district', message: "district must be one of: E07000110 (got 'E07000999')" },
    ]);
    expect(refused({ hcpArea: 'x'.repeat(300) })[0].message).not.toContain('xxx');
    expect(
      parseSearchParams({ hcpArea: 'West Kent', district: 'e07000110' }, vocabularies).filters,
    ).toEqual({ hcpArea: ['West Kent'], district: ['E07000110'] });
  });

  it('names every bad parameter at once', () => {
    const problems = problemsOf({
      colour: 'red',
      pageSize: '500',
      sort: 'x',
      theme: 'ok',
      sentiment: 'angry',
    });
    expect(problems.map((p) => p.parameter).sort()).toEqual([
      'colour',
      'pageSize',
      'sentiment',
      'sort',
    ]);
    expect(() => parseSearchParams({ colour: 'red', pageSize: '500' })).toThrow(
      "Invalid search parameters: unknown parameter 'colour'; pageSize must be between 1 and 100",
    );
  });

  it('never repeats the search text in an error', () => {
    const q = 'my neighbour Jane Smith at 12 High Street '.repeat(20);
    const error = (() => {
      try {
        parseSearchParams({ q, colour: 'x' });
      } catch (e) {
        return e as SearchParamError;
      }
      throw new Error('expected an error');
    })();
    expect(error.message).not.toContain('Jane');
    expect(JSON.stringify(error.problems)).not.toContain('Jane');
  });
});
