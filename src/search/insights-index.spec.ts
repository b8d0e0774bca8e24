import { FILTERABLE_ATTRIBUTES, INSIGHTS_SETTINGS } from './insights-index';
import {
  INSIGHTS_PRIMARY_KEY,
  NO_TYPO_WORDS,
  SEARCHABLE_ATTRIBUTES,
  settingsDiff,
  STOP_WORDS,
} from '../../search-config/insights.index';

/** What Meilisearch 1.21 answers for GET /indexes/{uid}/settings on a new index. */
const FRESH_INDEX_SETTINGS = {
  displayedAttributes: ['*'],
  searchableAttributes: ['*'],
  filterableAttributes: [],
  sortableAttributes: [],
  rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'],
  stopWords: [],
  nonSeparatorTokens: [],
  separatorTokens: [],
  dictionary: [],
  synonyms: {},
  distinctAttribute: null,
  proximityPrecision: 'byWord',
  typoTolerance: {
    enabled: true,
    minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 },
    disableOnWords: [],
    disableOnAttributes: [],
    disableOnNumbers: false,
  },
  faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { '*': 'alpha' } },
  pagination: { maxTotalHits: 1000 },
  embedders: {},
  searchCutoffMs: null,
  localizedAttributes: null,
  facetSearch: true,
  prefixSearch: 'indexingTime',
};

const reversed = <T>(xs: readonly T[]): T[] => [...xs].reverse();

/** The wanted settings as Meilisearch answers them once applied: every key, sets in its own order. */
function appliedSettings(): Record<string, unknown> {
  const s = structuredClone(INSIGHTS_SETTINGS) as unknown as Record<string, unknown>;
  const synonyms: Record<string, string[]> = {};
  for (const key of reversed(Object.keys(INSIGHTS_SETTINGS.synonyms))) {
    synonyms[key] = reversed(INSIGHTS_SETTINGS.synonyms[key]);
  }
  return {
    ...FRESH_INDEX_SETTINGS,
    ...s,
    filterableAttributes: reversed(INSIGHTS_SETTINGS.filterableAttributes),
    stopWords: [...INSIGHTS_SETTINGS.stopWords].sort(),
    dictionary: reversed(INSIGHTS_SETTINGS.dictionary),
    synonyms,
    typoTolerance: {
      ...INSIGHTS_SETTINGS.typoTolerance,
      disableOnWords: [...INSIGHTS_SETTINGS.typoTolerance.disableOnWords].sort(),
      disableOnAttributes: reversed(INSIGHTS_SETTINGS.typoTolerance.disableOnAttributes),
    },
  };
}

describe('insights index settings', () => {
  it('uses the insight id as primary key and searches text before theme names and question', () => {
    expect(INSIGHTS_PRIMARY_KEY).toBe('id');
    expect(INSIGHTS_SETTINGS.searchableAttributes).toEqual(['text', 'themeNames', 'question']);
    expect(SEARCHABLE_ATTRIBUTES).toEqual(INSIGHTS_SETTINGS.searchableAttributes);
  });

  it.each([
    'themeCodes',
    'categoryCodes',
    'subThemeCodes',
    'serviceAreas',
    'hcpArea',
    'ladCode',
    'postcodeDistrict',
    'sourceType',
    'organisationId',
    'batchId',
    'sentiment',
    'language',
    'commentDateTs',
    'sharingLevel',
    'moderationStatus',
    'needsReview',
    'safeguarding',
    'ageBand',
    'sex',
    'genderIdentity',
    'ethnicityGroup',
    'disability',
    'carer',
    'sexualOrientation',
    'religion',
  ])('can filter on %s', (attribute) => {
    expect(INSIGHTS_SETTINGS.filterableAttributes).toContain(attribute);
  });

  it('never makes free text or ids filterable, nor codes searchable', () => {
    expect(FILTERABLE_ATTRIBUTES).not.toContain('text');
    expect(FILTERABLE_ATTRIBUTES).not.toContain('question');
    expect(FILTERABLE_ATTRIBUTES).not.toContain('id');
    for (const code of ['postcodeDistrict', 'ladCode', 'organisationId', 'batchId']) {
      expect(INSIGHTS_SETTINGS.searchableAttributes).not.toContain(code);
    }
    expect(new Set(FILTERABLE_ATTRIBUTES).size).toBe(FILTERABLE_ATTRIBUTES.length);
  });

  it('sorts by date only, and keeps all six built-in ranking rules with sort right after words', () => {
    expect(INSIGHTS_SETTINGS.sortableAttributes).toEqual(['commentDateTs']);
    expect(INSIGHTS_SETTINGS.rankingRules).toEqual([
      'words',
      'sort',
      'typo',
      'proximity',
      'attribute',
      'exactness',
    ]);
  });

  it.each(['not', 'no', 'nothing', 'never', 'none', 'nor', 'very', 'out', 'off', 'after', 'and'])(
    'keeps the meaning-changing word "%s" searchable',
    (word) => {
      expect(STOP_WORDS).not.toContain(word);
    },
  );

  it('has a modest stop-word list of lower-case words', () => {
    expect(STOP_WORDS).toEqual(expect.arrayContaining(['a', 'an', 'the', 'of']));
    expect(STOP_WORDS.length).toBeLessThan(80);
    for (const w of STOP_WORDS) expect(w).toMatch(/^[a-z]+$/);
  });

  it('tunes typo tolerance for misspelt feedback without fuzzy codes or numbers', () => {
    const t = INSIGHTS_SETTINGS.typoTolerance;
    expect(t.minWordSizeForTypos).toEqual({ oneTypo: 4, twoTypos: 8 });
    expect(t.disableOnNumbers).toBe(true);
    expect(t.disableOnAttributes).toEqual(expect.arrayContaining(['postcodeDistrict', 'ladCode']));
    expect(NO_TYPO_WORDS).toEqual(expect.arrayContaining(['mental', 'dental']));
    for (const w of NO_TYPO_WORDS) expect(w).not.toMatch(/\s/);
  });

  it('keeps A&E one word in every case spelling, and caps facets and paging', () => {
    expect(INSIGHTS_SETTINGS.dictionary).toEqual(expect.arrayContaining(['a&e', 'A&E']));
    expect(INSIGHTS_SETTINGS.faceting.maxValuesPerFacet).toBe(500);
    expect(INSIGHTS_SETTINGS.pagination.maxTotalHits).toBe(10000);
  });
});

describe('settingsDiff', () => {
  it('finds nothing to change once the settings are applied, whatever order Meilisearch answers in', () => {
    expect(settingsDiff(appliedSettings(), INSIGHTS_SETTINGS)).toEqual([]);
  });

  it('reports every setting a new index is missing, by top-level name, ready to PATCH', () => {
    const diff = settingsDiff(FRESH_INDEX_SETTINGS, INSIGHTS_SETTINGS);
    expect(diff.map((d) => d.setting).sort()).toEqual(
      [
        'searchableAttributes',
        'filterableAttributes',
        'sortableAttributes',
        'rankingRules',
        'synonyms',
        'stopWords',
        'dictionary',
        'typoTolerance',
        'faceting',
        'pagination',
        'searchCutoffMs',
        'facetSearch',
      ].sort(),
    );
    const patch = Object.fromEntries(diff.map((d) => [d.setting, d.wanted]));
    const afterPatch = { ...FRESH_INDEX_SETTINGS, ...structuredClone(patch) };
    expect(settingsDiff(afterPatch, INSIGHTS_SETTINGS)).toEqual([]);
  });

  const wanted = {
    searchableAttributes: ['text', 'themeNames'],
    filterableAttributes: ['a', 'b', 'c'],
    rankingRules: ['words', 'sort', 'typo'],
    synonyms: { gp: ['doctor', 'surgery'], doctor: ['gp', 'surgery'] },
    typoTolerance: { minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 }, disableOnWords: ['x', 'y'] },
    faceting: { sortFacetValuesBy: { '*': 'count' } },
    searchCutoffMs: 1500,
  };
  const live = (patch: Record<string, unknown>): Record<string, unknown> => ({
    ...FRESH_INDEX_SETTINGS,
    ...structuredClone(wanted),
    ...patch,
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['identical', {}, []],
    ['filterable attributes in another order', { filterableAttributes: ['c', 'a', 'b'] }, []],
    [
      'a filterable attribute missing',
      { filterableAttributes: ['a', 'b'] },
      ['filterableAttributes'],
    ],
    [
      'ranking rules in another order',
      { rankingRules: ['words', 'typo', 'sort'] },
      ['rankingRules'],
    ],
    [
      'searchable attributes swapped',
      { searchableAttributes: ['themeNames', 'text'] },
      ['searchableAttributes'],
    ],
    [
      'synonyms keys and values in another order',
      { synonyms: { doctor: ['surgery', 'gp'], gp: ['surgery', 'doctor'] } },
      [],
    ],
    [
      'a synonym missing',
      { synonyms: { gp: ['doctor'], doctor: ['gp', 'surgery'] } },
      ['synonyms'],
    ],
    ['an extra synonym key', { synonyms: { ...wanted.synonyms, ed: ['a&e'] } }, ['synonyms']],
    [
      'one nested typo setting differs',
      {
        typoTolerance: {
          ...wanted.typoTolerance,
          minWordSizeForTypos: { oneTypo: 5, twoTypos: 8 },
        },
      },
      ['typoTolerance'],
    ],
    [
      'disableOnWords in another order, with defaults for unset typo keys',
      {
        typoTolerance: {
          ...FRESH_INDEX_SETTINGS.typoTolerance,
          ...wanted.typoTolerance,
          disableOnWords: ['y', 'x'],
        },
      },
      [],
    ],
    [
      'facet ordering differs',
      { faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { '*': 'alpha' } } },
      ['faceting'],
    ],
    ['search cut-off unset (null)', { searchCutoffMs: null }, ['searchCutoffMs']],
    ['a setting absent from the answer', { searchCutoffMs: undefined }, ['searchCutoffMs']],
  ])('%s', (_name, patch, expected) => {
    expect(settingsDiff(live(patch), wanted).map((d) => d.setting)).toEqual(expected);
  });

  it('reports the live and wanted values of a difference', () => {
    expect(
      settingsDiff({ rankingRules: ['typo', 'words'] }, { rankingRules: ['words', 'typo'] }),
    ).toEqual([{ setting: 'rankingRules', live: ['typo', 'words'], wanted: ['words', 'typo'] }]);
  });
});
