import type { Settings } from 'meilisearch';
import { NHS_SYNONYMS } from './synonyms';

export const INSIGHTS_INDEX = 'insights';
export const INSIGHTS_PRIMARY_KEY = 'id';

/** Order matters: Meilisearch weighs a match in an earlier attribute higher. */
export const SEARCHABLE_ATTRIBUTES = ['text', 'themeNames', 'question'];

/**
 * The attributes of the search document the index filters and sorts on. They come from the insight
 * field catalogue (src/insights/insight-fields.ts), which this folder does not import.
 */
export interface IndexedAttributes {
  filterableAttributes: string[];
  sortableAttributes: string[];
}

/**
 * Modest on purpose: only words that carry no meaning in a comment. Negations and quantities
 * ("not", "no", "nothing", "never", "none", "very", "too", "only") are kept because they turn
 * praise into complaint, and so are "out", "off", "after", "before" ("out of hours", "sent off",
 * "after discharge"). "and" is kept so that "accident and emergency" still matches as a phrase.
 */
export const STOP_WORDS = [
  'a',
  'an',
  'the',
  'of',
  'to',
  'in',
  'on',
  'at',
  'by',
  'for',
  'from',
  'with',
  'as',
  'is',
  'are',
  'was',
  'were',
  'be',
  'been',
  'being',
  'am',
  'it',
  'its',
  'this',
  'that',
  'these',
  'those',
  'i',
  'me',
  'my',
  'we',
  'our',
  'us',
  'you',
  'your',
  'he',
  'she',
  'him',
  'his',
  'her',
  'they',
  'them',
  'their',
  'or',
  'so',
  'then',
  'there',
  'which',
];

/**
 * Words where a one-letter slip changes the subject of a health comment: without this list a
 * search for "mental" also finds "dental", and "ward" finds "word".
 */
export const NO_TYPO_WORDS = [
  'mental',
  'dental',
  'ward',
  'wards',
  'care',
  'cure',
  'rude',
  'pain',
  'paid',
  'wait',
  'want',
  'sore',
  'sure',
  'male',
  'female',
];

/**
 * Settings of the insights index, applied by diffing against the live index (a change to most of
 * them re-indexes every document, so nothing is sent unless it differs).
 *
 * - rankingRules: Meilisearch's default order with `sort` moved up behind `words`. With no sort
 *   requested the `sort` rule does nothing and ranking is the default; with "newest" requested,
 *   comments that contain every query word still come first, and within them the order is
 *   strictly by date, which is what someone reading the latest feedback expects (in the default
 *   position, `sort` would only break ties between equally relevant comments).
 * - typoTolerance.minWordSizeForTypos {4, 8} (defaults 5 and 9): comments are typed on phones and
 *   transcribed from paper, and short, frequent words are often misspelt ("nurce", "docter",
 *   "apointment"). Words where a typo changes the meaning are listed in `disableOnWords`.
 *   disableOnNumbers stops "111" matching "112" or a year matching another year. Codes such as
 *   postcode districts and LAD codes are not searchable, so typos never apply to them; they are
 *   still listed in `disableOnAttributes` so that making one searchable later cannot turn on
 *   fuzzy matching of codes.
 * - dictionary: "A&E" is kept as one word; without it "&" splits it into "a" and "e", which are a
 *   stop word and a single letter, so neither the synonyms nor a search for it would work. The
 *   dictionary matches before lower-casing, hence every spelling of the case.
 * - faceting.maxValuesPerFacet 500: more than any demographic or place list or coding frame's
 *   theme list, and than any demographic cell twin (values × 6 terms, at most 72), and bounded so a facet over organisations stays a small response. Values are
 *   counted in count order, except themes, which are counted in code order: with a theme and its
 *   ancestors on every comment, count order made six-facet searches over half a million comments
 *   take about a quarter longer at p95 (see docs/benchmarks.md). All theme values are returned
 *   either way (a coding frame has fewer than 500), and the API orders every facet by count.
 * - pagination.maxTotalHits 10000: how deep paging can go (page × pageSize ≤ 10000) and the cap on
 *   `totalHits`. Nobody reads past 10,000 comments one page at a time; exports read PostgreSQL,
 *   and the API takes exact totals from facet counts, which this limit does not cap.
 * - searchCutoffMs 1500: a pathological query returns partial results rather than holding a
 *   connection.
 */
export function insightsSettings(attributes: IndexedAttributes) {
  return {
    searchableAttributes: [...SEARCHABLE_ATTRIBUTES],
    filterableAttributes: [...attributes.filterableAttributes],
    sortableAttributes: [...attributes.sortableAttributes],
    displayedAttributes: ['*'],
    rankingRules: ['words', 'sort', 'typo', 'proximity', 'attribute', 'exactness'],
    synonyms: NHS_SYNONYMS,
    stopWords: STOP_WORDS,
    typoTolerance: {
      enabled: true,
      minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 },
      disableOnWords: NO_TYPO_WORDS,
      disableOnAttributes: [
        'postcodeDistrict',
        'ladCode',
        'themeCodes',
        'organisationId',
        'batchId',
      ],
      disableOnNumbers: true,
    },
    dictionary: ['a&e', 'A&E', 'A&e', 'a&E'],
    faceting: { maxValuesPerFacet: 500, sortFacetValuesBy: { '*': 'count', themeCodes: 'alpha' } },
    pagination: { maxTotalHits: 10000 },
    proximityPrecision: 'byWord',
    searchCutoffMs: 1500,
    // The API returns facet counts but never searches within facet values; building the facet-search
    // structures for some twenty filterable attributes would slow every indexing task for nothing.
    facetSearch: false,
  } satisfies Settings;
}

export interface SettingDifference {
  setting: string;
  live: unknown;
  wanted: unknown;
}

/** Settings whose value is a set: Meilisearch may return them in any order. */
const SET_VALUED = new Set([
  'filterableAttributes',
  'sortableAttributes',
  'stopWords',
  'dictionary',
  'separatorTokens',
  'nonSeparatorTokens',
  'disableOnWords',
  'disableOnAttributes',
]);

/** Settings whose array order carries meaning: ranking priority and attribute weight. */
const ORDERED = new Set(['rankingRules', 'searchableAttributes', 'displayedAttributes']);

/**
 * Differences between the live settings of an index and the wanted ones, one entry per
 * top-level setting, so `{ [setting]: wanted }` for each entry is a valid PATCH body. Only keys
 * present in `wanted` are compared, at every depth, because Meilisearch answers every setting,
 * filling the unset ones with defaults. Sets compare without order, synonyms compare as a map of
 * sets, ranking rules and searchable attributes compare in order.
 */
export function settingsDiff(live: object, wanted: object): SettingDifference[] {
  const liveSettings = live as Record<string, unknown>;
  const out: SettingDifference[] = [];
  for (const [setting, wantedValue] of Object.entries(wanted)) {
    if (wantedValue === undefined) continue;
    const liveValue = liveSettings[setting];
    if (differs(setting, liveValue, wantedValue)) {
      out.push({ setting, live: liveValue, wanted: wantedValue });
    }
  }
  return out;
}

function differs(key: string, live: unknown, wanted: unknown): boolean {
  if (key === 'synonyms') {
    return !sameJson(normaliseSynonyms(live), normaliseSynonyms(wanted));
  }
  if (isPlainObject(wanted) && key !== 'sortFacetValuesBy') {
    const liveObject = isPlainObject(live) ? live : {};
    return Object.entries(wanted).some(([k, v]) => v !== undefined && differs(k, liveObject[k], v));
  }
  return !sameJson(normalise(key, live), normalise(key, wanted));
}

function normalise(key: string, value: unknown): unknown {
  if (Array.isArray(value) && SET_VALUED.has(key) && !ORDERED.has(key)) {
    return [...new Set(value.map((v) => JSON.stringify(v)))].sort();
  }
  if (isPlainObject(value)) return sortKeys(value);
  return value ?? null;
}

function normaliseSynonyms(value: unknown): unknown {
  if (!isPlainObject(value)) return value ?? {};
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(value).sort()) {
    const terms = value[key];
    out[key] = Array.isArray(terms) ? [...new Set(terms.map(String))].sort() : [];
  }
  return out;
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = value[key];
    out[key] = isPlainObject(v) ? sortKeys(v) : v;
  }
  return out;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
