import type { InsightLike, InsightSearchDocument } from '../../insights/insight-fields';
import { INSIGHTS_SETTINGS } from '../insights-index';
import { CELL_KEY_BITS } from './disclosure';
import { FILTER_FIELD_NAMES, FILTER_FIELDS, FilterError } from './filter-builder';
import {
  buildMeiliSearchRequest,
  highlightToSafeHtml,
  newHighlightTags,
  SearchDocumentError,
  toSearchDocument,
  type SearchDocumentLookups,
  type ThemeKind,
} from './search-document';
import { parseSearchParams } from './search-params';

const THEMES: Record<string, { name: string; parent?: string; kind: ThemeKind }> = {
  staff: { name: 'Staff', kind: 'category' },
  staff_manner: { name: 'Staff manner & attitude', parent: 'staff', kind: 'sub_theme' },
  access: { name: 'Access to services', kind: 'category' },
  appointment_arrangements: {
    name: 'Appointment arrangements',
    parent: 'access',
    kind: 'sub_theme',
  },
  gp: { name: 'GP services', kind: 'service_area' },
  cost_of_living: { name: 'Cost of living', kind: 'strategy' },
};

const lookups: SearchDocumentLookups = {
  themeName: (code) => THEMES[code]?.name,
  themeParent: (code) => THEMES[code]?.parent,
  themeKind: (code) => THEMES[code]?.kind,
  ladName: (code) => (code === 'E07000110' ? 'Maidstone' : undefined),
};

/** The stored row, including what must never reach the index. */
function storedInsight(over: Partial<InsightLike> = {}): InsightLike & Record<string, unknown> {
  return {
    id: 'a1b2c3d4-0000-4000-8000-000000000001',
    batchId: 'b1b2c3d4-0000-4000-8000-000000000002',
    organisationId: 'c1b2c3d4-0000-4000-8000-000000000003',
    rowNumber: 17,
    part: 0,
    externalRef: 'PARTNER-ROW-17',
    contentHash: 'f'.repeat(64),
    dedupKey: 'PARTNER-ROW-17',
    text: 'The receptionist at [NAME]\u2019s surgery was rude when I rang [PHONE].',
    question: 'What could we do better?',
    commentDate: '2024-03-15',
    sourceType: 'survey',
    sharingLevel: 'system',
    postcodeDistrict: 'ME14',
    ladCode: 'E07000110',
    hcpArea: 'West Kent',
    service: 'Some Surgery',
    gpPractice: 'G82001',
    placeResolvedBy: 'postcode',
    ageBand: '65-74',
    sex: 'female',
    genderIdentity: 'same_as_sex_at_birth',
    ethnicityGroup: 'white',
    ethnicityDetail: 'white_irish',
    disability: 'no',
    carer: 'yes',
    sexualOrientation: 'prefer_not_to_say',
    religion: 'unknown',
    deprivationDecile: 3,
    themes: [{ code: 'staff_manner', provenance: 'rule', confidence: 0.9 }],
    themeCodes: ['staff_manner', 'appointment_arrangements', 'gp', 'cost_of_living'],
    sentiment: 'negative',
    sentimentScore: -0.6,
    language: 'en',
    redaction: { NAME: 1, PHONE: 1 },
    needsReview: false,
    safeguarding: false,
    moderationStatus: 'approved',
    recordKey: 17,
    metadata: { 'Ward visited': 'Ward 3' },
    createdAt: new Date(),
    updatedAt: new Date(),
    ...over,
  };
}

describe('toSearchDocument', () => {
  const doc = toSearchDocument(storedInsight(), lookups);

  it('holds exactly the fields search needs', () => {
    expect(Object.keys(doc).sort()).toEqual(
      [
        'id',
        'text',
        'question',
        'themeCodes',
        'themeNames',
        'categoryCodes',
        'subThemeCodes',
        'serviceAreas',
        'sentiment',
        'sentimentScore',
        'hcpArea',
        'ladCode',
        'ladName',
        'postcodeDistrict',
        'sourceType',
        'organisationId',
        'batchId',
        'sharingLevel',
        'language',
        'commentDate',
        'commentDateTs',
        'ageBand',
        'sex',
        'genderIdentity',
        'ethnicityGroup',
        'disability',
        'carer',
        'sexualOrientation',
        'religion',
        'deprivationQuintile',
        'ageBandCells',
        'sexCells',
        'genderIdentityCells',
        'ethnicityGroupCells',
        'disabilityCells',
        'carerCells',
        'sexualOrientationCells',
        'religionCells',
        'deprivationQuintileCells',
        'needsReview',
        'safeguarding',
        'moderationStatus',
      ].sort(),
    );
  });

  it('pairs each demographic value with the key-part bits of the record key, and never the key alone', () => {
    // 17 = 16 + 1: its key part (the low bit) is 1.
    expect(doc.ageBandCells).toEqual(['65-74', '65-74#0']);
    expect(doc.ethnicityGroupCells).toEqual(['white', 'white#0']);
    expect(doc.sexualOrientationCells).toEqual(['prefer_not_to_say', 'prefer_not_to_say#0']);
    expect(Object.values(doc)).not.toContain(17);
  });

  it('keeps every cell twin within the index facet limit (values × (1 + key-part bits))', () => {
    for (const name of FILTER_FIELD_NAMES) {
      const spec = FILTER_FIELDS[name];
      if (!spec.demographic) continue;
      expect((spec.values?.length ?? Infinity) * (1 + CELL_KEY_BITS)).toBeLessThanOrEqual(
        INSIGHTS_SETTINGS.faceting.maxValuesPerFacet,
      );
    }
  });

  it.each(['PARTNER-ROW-17', 'f'.repeat(64), 'Ward 3', 'white_irish', 'G82001', 'Some Surgery'])(
    'leaves out %j (partner reference, hash, metadata and other unneeded detail)',
    (secret) => {
      expect(JSON.stringify(doc)).not.toContain(secret);
    },
  );

  it('keeps the redacted text and question as stored', () => {
    expect(doc.text).toBe(storedInsight().text);
    expect(doc.question).toBe('What could we do better?');
  });

  it('widens themes to their categories and sorts them by kind', () => {
    expect(doc).toMatchObject<Partial<InsightSearchDocument>>({
      themeCodes: [
        'staff_manner',
        'staff',
        'appointment_arrangements',
        'access',
        'gp',
        'cost_of_living',
      ],
      themeNames: [
        'Staff manner & attitude',
        'Staff',
        'Appointment arrangements',
        'Access to services',
        'GP services',
        'Cost of living',
      ],
      categoryCodes: ['staff', 'access'],
      subThemeCodes: ['staff_manner', 'appointment_arrangements'],
      serviceAreas: ['gp'],
    });
  });

  it('names the district and turns the date into a sortable timestamp', () => {
    expect(doc).toMatchObject({
      ladCode: 'E07000110',
      ladName: 'Maidstone',
      commentDate: '2024-03-15',
      commentDateTs: 1710460800,
    });
  });

  it.each<[string, Partial<InsightLike>, Partial<InsightSearchDocument>]>([
    ['no date', { commentDate: null }, { commentDate: null, commentDateTs: null }],
    [
      'a Date from the driver',
      { commentDate: new Date('2023-12-31T00:00:00Z') },
      { commentDate: '2023-12-31', commentDateTs: 1703980800 },
    ],
    [
      'no place',
      { ladCode: null, hcpArea: null, postcodeDistrict: null },
      { ladCode: null, hcpArea: null, postcodeDistrict: null },
    ],
    ['no themes', { themeCodes: [] }, { themeCodes: [], themeNames: [], categoryCodes: [] }],
    [
      'an unknown theme code, kept for filtering',
      { themeCodes: ['retired_code'] },
      { themeCodes: ['retired_code'], themeNames: [] },
    ],
    ['flags', { needsReview: true, safeguarding: true }, { needsReview: true, safeguarding: true }],
  ])('handles %s', (_name, over, expected) => {
    expect(toSearchDocument(storedInsight(over), lookups)).toMatchObject(expected);
  });

  it.each<[number | null, string]>([
    [1, '1'],
    [2, '1'],
    [3, '2'],
    [4, '2'],
    [7, '4'],
    [9, '5'],
    [10, '5'],
    [null, 'unknown'],
  ])('indexes deprivation decile %j as quintile %j, with its cell twin', (decile, quintile) => {
    const doc = toSearchDocument(
      storedInsight({ deprivationDecile: decile, recordKey: 1 }),
      lookups,
    );
    expect(doc.deprivationQuintile).toBe(quintile);
    expect(doc.deprivationQuintileCells).toEqual([quintile, `${quintile}#0`]);
    expect(doc).not.toHaveProperty('deprivationDecile');
  });

  it('leaves out the district name when it is not known', () => {
    expect(toSearchDocument(storedInsight({ ladCode: null }), lookups)).not.toHaveProperty(
      'ladName',
    );
  });

  it('tells categories from sub-themes by parent when the taxonomy kind is not given', () => {
    const { themeKind: _unused, ...withoutKind } = lookups;
    expect(
      toSearchDocument(storedInsight({ themeCodes: ['staff_manner'] }), withoutKind),
    ).toMatchObject({
      categoryCodes: ['staff'],
      subThemeCodes: ['staff_manner'],
    });
  });

  it('survives a cycle in theme parents', () => {
    const cyclic: SearchDocumentLookups = {
      ...lookups,
      themeParent: (code) => (code === 'a' ? 'b' : code === 'b' ? 'a' : undefined),
    };
    expect(toSearchDocument(storedInsight({ themeCodes: ['a'] }), cyclic).themeCodes).toEqual([
      'a',
      'b',
    ]);
  });

  it('refuses a malformed date, naming the insight but not its text', () => {
    const insight = storedInsight({ commentDate: '15/03/2024' });
    expect(() => toSearchDocument(insight, lookups)).toThrow(SearchDocumentError);
    expect(() => toSearchDocument(insight, lookups)).toThrow(
      `Insight ${insight.id} has a comment date`,
    );
  });
});

describe('buildMeiliSearchRequest', () => {
  const partner = {
    sharingLevels: ['public', 'system'],
    ownOrganisationId: 'c1b2c3d4-0000-4000-8000-000000000003',
  };
  const allFacets = { facetsAllowed: ['theme', 'sentiment', 'ageBand'] };

  it('counts demographic facets on their keyed twins for roles that see counts only', () => {
    const req = parseSearchParams({ facets: 'theme,ageBand,sex' });
    const keyed = buildMeiliSearchRequest(req, partner, {
      facetsAllowed: ['theme', 'ageBand', 'sex'],
      keyedDemographicFacets: true,
    });
    expect(keyed.facets).toEqual(['themeCodes', 'ageBandCells', 'sexCells']);
    const exact = buildMeiliSearchRequest(req, partner, {
      facetsAllowed: ['theme', 'ageBand', 'sex'],
      rowLevelDemographics: true,
    });
    expect(exact.facets).toEqual(['themeCodes', 'ageBand', 'sex']);
  });

  it('builds a scoped, paged, highlighted search', () => {
    const req = parseSearchParams({
      q: 'rude receptionist',
      theme: 'staff',
      page: '2',
      pageSize: '50',
      facets: 'theme,ageBand',
    });
    expect(buildMeiliSearchRequest(req, partner, allFacets)).toEqual({
      q: 'rude receptionist',
      filter: [
        [
          'sharingLevel IN ["public", "system"]',
          'organisationId = "c1b2c3d4-0000-4000-8000-000000000003"',
        ],
        [
          'moderationStatus = "approved"',
          'organisationId = "c1b2c3d4-0000-4000-8000-000000000003"',
        ],
        ['themeCodes = "staff"'],
      ],
      page: 2,
      hitsPerPage: 50,
      facets: ['themeCodes', 'ageBand'],
      attributesToHighlight: ['text', 'question'],
      highlightPreTag: '<mark>',
      highlightPostTag: '</mark>',
      attributesToCrop: ['text'],
      cropLength: 40,
      showMatchesPosition: false,
      attributesToRetrieve: expect.arrayContaining([
        'id',
        'text',
        'commentDate',
        'themeNames',
      ]) as unknown,
    });
  });

  it.each<[string, Record<string, string>, unknown]>([
    ['relevance', {}, undefined],
    ['newest', { sort: 'newest' }, ['commentDateTs:desc']],
    ['oldest', { sort: 'oldest' }, ['commentDateTs:asc']],
  ])('sorts by %s', (_name, query, sort) => {
    expect(buildMeiliSearchRequest(parseSearchParams(query), partner, allFacets).sort).toEqual(
      sort,
    );
  });

  it('does not highlight when asked not to, or when there is nothing to highlight', () => {
    for (const query of [{ q: 'rude', highlight: 'false' }, {}]) {
      expect(
        buildMeiliSearchRequest(parseSearchParams(query), partner, allFacets),
      ).not.toHaveProperty('attributesToHighlight');
    }
  });

  it('retrieves demographics only for roles with row-level access', () => {
    const req = parseSearchParams({});
    const without = buildMeiliSearchRequest(req, partner, allFacets)
      .attributesToRetrieve as string[];
    const withRows = buildMeiliSearchRequest(req, partner, {
      ...allFacets,
      rowLevelDemographics: true,
    }).attributesToRetrieve as string[];
    expect(without).not.toContain('ethnicityGroup');
    expect(withRows).toEqual(expect.arrayContaining(['ageBand', 'ethnicityGroup', 'religion']));
    for (const list of [without, withRows]) {
      expect(list).not.toContain('externalRef');
      expect(list).not.toContain('*');
    }
  });

  it('refuses facets the account may not see, naming them', () => {
    const req = parseSearchParams({ facets: 'sentiment,religion,sex' });
    expect(() => buildMeiliSearchRequest(req, partner, allFacets)).toThrow(FilterError);
    expect(() => buildMeiliSearchRequest(req, partner, allFacets)).toThrow(
      'facets not available to this account: religion, sex',
    );
  });
});

describe('highlightToSafeHtml', () => {
  it.each([
    ['the <mark>nurse</mark> was kind', 'the <mark>nurse</mark> was kind'],
    [
      '<script>alert(1)</script> <mark>A&E</mark>',
      '&lt;script&gt;alert(1)&lt;/script&gt; <mark>A&amp;E</mark>',
    ],
    ['"quoted" & \'single\'', '&quot;quoted&quot; &amp; &#39;single&#39;'],
    ['<mark onclick="x">no</mark>', '&lt;mark onclick=&quot;x&quot;&gt;no</mark>'],
  ])('%j → %j', (formatted, html) => {
    expect(highlightToSafeHtml(formatted)).toBe(html);
  });

  it("with a search's own tags, a literal <mark> in the comment stays text", () => {
    const tags = newHighlightTags();
    const formatted = `the ${tags.pre}nurse${tags.post} wrote <mark>urgent</mark>`;
    expect(highlightToSafeHtml(formatted, tags)).toBe(
      'the <mark>nurse</mark> wrote &lt;mark&gt;urgent&lt;/mark&gt;',
    );
  });

  it('makes different tags for every search', () => {
    const a = newHighlightTags();
    const b = newHighlightTags();
    expect(a.pre).not.toBe(b.pre);
    expect(a.pre).not.toBe(a.post);
  });
});
