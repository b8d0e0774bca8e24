import { INSIGHTS_SETTINGS } from '../insights-index';
import {
  FILTER_FIELD_NAMES,
  FILTER_FIELDS,
  isoDateToUnixSeconds,
  type FilterField,
  type SearchFilters,
} from './filter-builder';

export const SORT_ORDERS = ['relevance', 'newest', 'oldest'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** Every filter can be faceted; which facets a caller may see is decided when the request is built. */
export const FACET_NAMES: readonly FilterField[] = FILTER_FIELD_NAMES;

export const MAX_QUERY_LENGTH = 500;
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
/** More values than any real filter needs; bounds the size of the filter sent to the index. */
export const MAX_VALUES_PER_FILTER = 50;
const MAX_VALUE_LENGTH = 200;
/** Meilisearch returns nothing past maxTotalHits, so a deeper page is refused rather than shown empty. */
export const MAX_REACHABLE_HITS = INSIGHTS_SETTINGS.pagination.maxTotalHits;

export interface SearchRequest {
  q: string;
  filters: SearchFilters;
  sort: SortOrder;
  page: number;
  pageSize: number;
  facets: FilterField[];
  highlight: boolean;
}

export interface SearchParamProblem {
  parameter: string;
  message: string;
}

export class SearchParamError extends Error {
  readonly code = 'invalid_input';
  constructor(readonly problems: SearchParamProblem[]) {
    super(`Invalid search parameters: ${problems.map((p) => p.message).join('; ')}`);
    this.name = 'SearchParamError';
  }
}

/**
 * Closed lists known only at run time (the place hierarchy is data): a value outside them is
 * reported by name instead of quietly matching nothing.
 */
export type FilterVocabularies = Partial<Record<FilterField, readonly string[]>>;

/** Shapes of codes and ids, so a typo is reported instead of quietly matching nothing. */
const VALUE_SHAPES: Partial<Record<FilterField, { pattern: RegExp; describe: string }>> = {
  theme: { pattern: /^[A-Za-z0-9_.:-]+$/, describe: 'a theme code' },
  subTheme: { pattern: /^[A-Za-z0-9_.:-]+$/, describe: 'a theme code' },
  category: { pattern: /^[A-Za-z0-9_.:-]+$/, describe: 'a theme code' },
  serviceArea: { pattern: /^[A-Za-z0-9_.:-]+$/, describe: 'a theme code' },
  district: { pattern: /^[A-Za-z0-9]{1,20}$/, describe: 'a district code such as E07000110' },
  postcodeDistrict: {
    pattern: /^[A-Z]{1,2}[0-9][A-Z0-9]?$/,
    describe: 'a postcode district such as ME14',
  },
  organisation: {
    pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    describe: 'an organisation id',
  },
  batch: {
    pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    describe: 'a batch id',
  },
  language: { pattern: /^[a-z]{2,3}$/, describe: 'a language code such as en' },
};

/** Spelling differences that are not mistakes: the case of codes and ids. */
const UPPER_CASE: ReadonlySet<FilterField> = new Set(['postcodeDistrict', 'district']);
const LOWER_CASE: ReadonlySet<FilterField> = new Set(['organisation', 'batch', 'language']);

function canonical(name: FilterField, v: string): string {
  if (UPPER_CASE.has(name)) return v.toUpperCase();
  if (LOWER_CASE.has(name)) return v.toLowerCase();
  return v;
}

const SINGLE_PARAMETERS = [
  'q',
  'dateFrom',
  'dateTo',
  'sort',
  'page',
  'pageSize',
  'facets',
  'highlight',
] as const;
const KNOWN = new Set<string>([...SINGLE_PARAMETERS, ...FILTER_FIELD_NAMES]);

/**
 * Parses and checks the query string of GET /api/v1/insights/search. Every bad parameter is
 * reported at once. Messages name the parameter and the rule; they never repeat the search text,
 * which may hold personal details.
 */
export function parseSearchParams(
  query: Readonly<Record<string, unknown>>,
  vocabularies: FilterVocabularies = {},
): SearchRequest {
  const problems: SearchParamProblem[] = [];
  const problem = (parameter: string, message: string): void => {
    problems.push({ parameter, message });
  };

  for (const key of Object.keys(query)) {
    if (query[key] !== undefined && !KNOWN.has(key)) {
      const shown = key.length > 40 ? `${key.slice(0, 40)}…` : key;
      problem(key, `unknown parameter '${shown}'`);
    }
  }

  const single = (name: (typeof SINGLE_PARAMETERS)[number]): string | undefined => {
    const raw = query[name];
    if (raw === undefined) return undefined;
    if (typeof raw === 'string') return raw;
    if (Array.isArray(raw) && raw.every((v) => typeof v === 'string')) {
      problem(name, `${name} must be given once`);
      return undefined;
    }
    problem(name, `${name} must be text`);
    return undefined;
  };

  const q = single('q')?.trim() ?? '';
  if (q.length > MAX_QUERY_LENGTH) {
    problem('q', `q must be at most ${MAX_QUERY_LENGTH} characters`);
  }

  const filters: SearchFilters = {};
  for (const name of FILTER_FIELD_NAMES) {
    const values = listParameter(name, query[name], FILTER_FIELDS[name].commaSeparated, problem);
    if (values === undefined) continue;
    const checked = checkValues(name, values, problem, vocabularies[name]);
    if (checked) filters[name] = checked;
  }

  const dateFrom = dateParameter('dateFrom', single('dateFrom'), problem);
  const dateTo = dateParameter('dateTo', single('dateTo'), problem);
  if (dateFrom !== undefined) filters.dateFrom = dateFrom;
  if (dateTo !== undefined) filters.dateTo = dateTo;
  if (dateFrom !== undefined && dateTo !== undefined && dateFrom > dateTo) {
    problem('dateTo', 'dateTo must not be before dateFrom');
  }

  const sortRaw = single('sort');
  let sort: SortOrder = 'relevance';
  if (sortRaw !== undefined && sortRaw !== '') {
    if ((SORT_ORDERS as readonly string[]).includes(sortRaw)) sort = sortRaw as SortOrder;
    else problem('sort', `sort must be one of: ${SORT_ORDERS.join(', ')}`);
  }

  const page = integerParameter('page', single('page'), 1, 1, Number.MAX_SAFE_INTEGER, problem);
  const pageSize = integerParameter(
    'pageSize',
    single('pageSize'),
    DEFAULT_PAGE_SIZE,
    1,
    MAX_PAGE_SIZE,
    problem,
  );
  if (page !== undefined && pageSize !== undefined && page * pageSize > MAX_REACHABLE_HITS) {
    problem(
      'page',
      `page is too deep: page × pageSize must be at most ${MAX_REACHABLE_HITS}; narrow the search or export instead`,
    );
  }

  const facets: FilterField[] = [];
  const facetsRaw = single('facets');
  if (facetsRaw !== undefined) {
    for (const name of splitList(facetsRaw)) {
      if (!(FACET_NAMES as readonly string[]).includes(name)) {
        problem('facets', `facets must be chosen from: ${FACET_NAMES.join(', ')}`);
        break;
      }
      if (!facets.includes(name as FilterField)) facets.push(name as FilterField);
    }
  }

  let highlight = true;
  const highlightRaw = single('highlight');
  if (highlightRaw !== undefined && highlightRaw !== '') {
    const parsed = parseBoolean(highlightRaw);
    if (parsed === undefined) problem('highlight', 'highlight must be true or false');
    else highlight = parsed;
  }

  if (problems.length > 0) throw new SearchParamError(problems);
  return {
    q,
    filters,
    sort,
    page: page ?? 1,
    pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
    facets,
    highlight,
  };
}

function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function listParameter(
  name: FilterField,
  raw: unknown,
  commaSeparated: boolean,
  problem: (parameter: string, message: string) => void,
): string[] | undefined {
  if (raw === undefined) return undefined;
  const parts = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(parts) || !parts.every((v) => typeof v === 'string')) {
    problem(name, `${name} must be text`);
    return undefined;
  }
  const values = parts.flatMap((p: string) =>
    commaSeparated ? splitList(p) : p.trim() === '' ? [] : [p.trim()],
  );
  return values.length === 0 ? undefined : values;
}

function checkValues(
  name: FilterField,
  values: string[],
  problem: (parameter: string, message: string) => void,
  vocabulary: readonly string[] | undefined,
): string[] | undefined {
  if (values.length > MAX_VALUES_PER_FILTER) {
    problem(name, `${name} accepts at most ${MAX_VALUES_PER_FILTER} values`);
    return undefined;
  }
  const spec = FILTER_FIELDS[name];
  const shape = VALUE_SHAPES[name];
  const allowed = vocabulary ?? spec.values;
  const out: string[] = [];
  for (const raw of values) {
    const v = canonical(name, raw);
    // eslint-disable-next-line no-control-regex
    const printable = v.length <= MAX_VALUE_LENGTH && !/[\u0000-\u001f\u007f]/.test(v);
    if (allowed && !allowed.includes(v)) {
      const shown = !printable ? '' : ` (got '${v.length > 40 ? `${v.slice(0, 40)}…` : v}')`;
      problem(name, `${name} must be one of: ${allowed.join(', ')}${shown}`);
      return undefined;
    }
    if (shape && !shape.pattern.test(v)) {
      problem(name, `each ${name} value must be ${shape.describe}`);
      return undefined;
    }
    // eslint-disable-next-line no-control-regex
    if (v.length > MAX_VALUE_LENGTH || /[\u0000-\u001f\u007f]/.test(v)) {
      problem(name, `each ${name} value must be at most ${MAX_VALUE_LENGTH} printable characters`);
      return undefined;
    }
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

function dateParameter(
  name: 'dateFrom' | 'dateTo',
  raw: string | undefined,
  problem: (parameter: string, message: string) => void,
): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const v = raw.trim();
  if (isoDateToUnixSeconds(v) === undefined) {
    problem(name, `${name} must be a real date written yyyy-mm-dd`);
    return undefined;
  }
  return v;
}

function integerParameter(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
  problem: (parameter: string, message: string) => void,
): number | undefined {
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = raw.trim();
  const n = /^[0-9]{1,15}$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    problem(
      name,
      max === Number.MAX_SAFE_INTEGER
        ? `${name} must be a whole number of at least ${min}`
        : `${name} must be between ${min} and ${max}`,
    );
    return undefined;
  }
  return n;
}

function parseBoolean(v: string): boolean | undefined {
  switch (v.trim().toLowerCase()) {
    case 'true':
    case '1':
    case 'yes':
      return true;
    case 'false':
    case '0':
    case 'no':
      return false;
    default:
      return undefined;
  }
}
