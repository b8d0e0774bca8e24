import type {
  AgeBand,
  EthnicityGroup,
  GenderIdentity,
  Religion,
  Sex,
  SexualOrientation,
  YesNo,
} from '../../enrichment/demographics/demographics';
import { toMeiliFilter, type AccessScope } from '../../access/scope';
import { quoteValue, valueList } from '../../common/meili-literal';
import { SENTIMENTS, SHARING_LEVELS, SOURCE_TYPES } from '../../common/vocabulary';

type NoAnswer = 'unknown' | 'prefer_not_to_say';
const NO_ANSWER = ['unknown', 'prefer_not_to_say'] as const;

/** Written out here because the demographics module exports types only; `satisfies` keeps them in step. */
export const AGE_BANDS = [
  '0-15',
  '16-17',
  '18-24',
  '25-34',
  '35-44',
  '45-54',
  '55-64',
  '65-74',
  '75-84',
  '85+',
  ...NO_ANSWER,
] as const satisfies readonly (AgeBand | NoAnswer)[];
export const SEXES = [
  'female',
  'male',
  'intersex',
  'other',
  ...NO_ANSWER,
] as const satisfies readonly Sex[];
export const GENDER_IDENTITIES = [
  'woman',
  'man',
  'non_binary',
  'trans_woman',
  'trans_man',
  'trans',
  'same_as_sex_at_birth',
  'other',
  ...NO_ANSWER,
] as const satisfies readonly GenderIdentity[];
export const ETHNICITY_GROUPS = [
  'asian',
  'black',
  'mixed',
  'white',
  'other',
  ...NO_ANSWER,
] as const satisfies readonly EthnicityGroup[];
export const YES_NO = ['yes', 'no', ...NO_ANSWER] as const satisfies readonly YesNo[];
export const SEXUAL_ORIENTATIONS = [
  'heterosexual',
  'gay_or_lesbian',
  'bisexual',
  'other',
  ...NO_ANSWER,
] as const satisfies readonly SexualOrientation[];
export const RELIGIONS = [
  'no_religion',
  'christian',
  'buddhist',
  'hindu',
  'jewish',
  'muslim',
  'sikh',
  'other',
  ...NO_ANSWER,
] as const satisfies readonly Religion[];

export { SENTIMENTS, SHARING_LEVELS, SOURCE_TYPES } from '../../common/vocabulary';
export const MODERATION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export const BOOLEAN_VALUES = ['true', 'false'] as const;

export type FilterField =
  | 'theme'
  | 'subTheme'
  | 'category'
  | 'serviceArea'
  | 'hcpArea'
  | 'district'
  | 'postcodeDistrict'
  | 'sourceType'
  | 'organisation'
  | 'batch'
  | 'sentiment'
  | 'language'
  | 'ageBand'
  | 'sex'
  | 'genderIdentity'
  | 'ethnicityGroup'
  | 'disability'
  | 'carer'
  | 'sexualOrientation'
  | 'religion'
  | 'sharingLevel'
  | 'moderationStatus'
  | 'needsReview'
  | 'safeguarding';

export interface FilterFieldSpec {
  /** The index attribute; user input never chooses it. */
  attribute: string;
  /** Subject to disclosure control for roles without row-level demographic access. */
  demographic: boolean;
  /** The only values accepted, when the field is an enumeration. */
  values?: readonly string[];
  /** Comma lists are split, except where real values contain commas (HCP area names do). */
  commaSeparated: boolean;
  boolean?: true;
}

const field = (
  attribute: string,
  opts: Partial<Omit<FilterFieldSpec, 'attribute'>> = {},
): FilterFieldSpec => ({ attribute, demographic: false, commaSeparated: true, ...opts });

export const FILTER_FIELDS: Record<FilterField, FilterFieldSpec> = {
  theme: field('themeCodes'),
  subTheme: field('subThemeCodes'),
  category: field('categoryCodes'),
  serviceArea: field('serviceAreas'),
  hcpArea: field('hcpArea', { commaSeparated: false }),
  district: field('ladCode'),
  postcodeDistrict: field('postcodeDistrict'),
  sourceType: field('sourceType', { values: SOURCE_TYPES }),
  organisation: field('organisationId'),
  batch: field('batchId'),
  sentiment: field('sentiment', { values: SENTIMENTS }),
  language: field('language'),
  ageBand: field('ageBand', { demographic: true, values: AGE_BANDS }),
  sex: field('sex', { demographic: true, values: SEXES }),
  genderIdentity: field('genderIdentity', { demographic: true, values: GENDER_IDENTITIES }),
  ethnicityGroup: field('ethnicityGroup', { demographic: true, values: ETHNICITY_GROUPS }),
  disability: field('disability', { demographic: true, values: YES_NO }),
  carer: field('carer', { demographic: true, values: YES_NO }),
  sexualOrientation: field('sexualOrientation', { demographic: true, values: SEXUAL_ORIENTATIONS }),
  religion: field('religion', { demographic: true, values: RELIGIONS }),
  sharingLevel: field('sharingLevel', { values: SHARING_LEVELS }),
  moderationStatus: field('moderationStatus', { values: MODERATION_STATUSES }),
  needsReview: field('needsReview', { values: BOOLEAN_VALUES, boolean: true }),
  safeguarding: field('safeguarding', { values: BOOLEAN_VALUES, boolean: true }),
};

export const FILTER_FIELD_NAMES = Object.keys(FILTER_FIELDS) as FilterField[];

export type SearchFilters = { [K in FilterField]?: string[] } & {
  /** yyyy-mm-dd, inclusive. */
  dateFrom?: string;
  /** yyyy-mm-dd, inclusive. */
  dateTo?: string;
};

export class FilterError extends Error {
  readonly code = 'invalid_input';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'FilterError';
  }
}

/**
 * Values an attacker might send to widen a filter. The unit tests check the strings built from
 * them; an integration test can index a few documents and check none of these finds a document
 * it should not.
 */
export const HOSTILE_FILTER_VALUES: readonly string[] = [
  '"',
  '\\',
  '\\"',
  'x" OR sharingLevel = "restricted',
  'x\\" OR sharingLevel = \\"restricted',
  'x" OR organisationId EXISTS OR "',
  'a OR b',
  'a AND b',
  'NOT a',
  'x") OR (sharingLevel = "restricted',
  '] OR sharingLevel IN ["restricted',
  '1 TO 99999999999',
  '= "public" OR sharingLevel != "none',
  'IN ["public", "restricted"]',
  "x' OR sharingLevel = 'restricted",
  'x"\nOR sharingLevel = "restricted',
  '\\\\" OR "a" = "a',
  '*',
  '',
];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Unix seconds at 00:00 UTC of a yyyy-mm-dd date, or undefined if it is not a real date. */
export function isoDateToUnixSeconds(s: string): number | undefined {
  const m = ISO_DATE.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    return undefined;
  }
  return ms / 1000;
}

const DAY_SECONDS = 86_400;

/** The population-group filters a search uses, by parameter name. */
export function demographicFiltersIn(filters: SearchFilters): FilterField[] {
  return FILTER_FIELD_NAMES.filter(
    (name) => FILTER_FIELDS[name].demographic && (filters[name]?.length ?? 0) > 0,
  );
}

export function usesDemographicFilter(filters: SearchFilters): boolean {
  return demographicFiltersIn(filters).length > 0;
}

/** The same filters without any population-group filter. */
export function withoutDemographicFilters(filters: SearchFilters): SearchFilters {
  const out: SearchFilters = { ...filters };
  for (const name of demographicFiltersIn(filters)) delete out[name];
  return out;
}

/**
 * The Meilisearch filter for a search, in array form: every inner array is an OR of expressions
 * and the outer array ANDs them. Attributes come only from FILTER_FIELDS and every value is a
 * quoted literal, so no input can add an operator. The scope clauses come first and are never
 * optional: a search with no filters still carries them.
 */
export function buildFilter(filters: SearchFilters, scope: AccessScope): string[][] {
  return [...toMeiliFilter(scope), ...filterClauses(filters)];
}

/** The array-form filter as one string, for logs and for APIs that take only a string. */
export function filterToString(filter: string[][]): string {
  return filter
    .map((group) => (group.length === 1 ? group[0] : `(${group.join(' OR ')})`))
    .join(' AND ');
}

function filterClauses(filters: SearchFilters): string[][] {
  const clauses: string[][] = [];
  for (const name of FILTER_FIELD_NAMES) {
    const values = filters[name];
    if (values === undefined || values.length === 0) continue;
    const spec = FILTER_FIELDS[name];
    const allowed = spec.values;
    for (const v of values) {
      if (allowed && !allowed.includes(v)) {
        throw new FilterError(name, `${name} must be one of: ${allowed.join(', ')}`);
      }
    }
    const unique = [...new Set(values)];
    clauses.push(
      spec.boolean
        ? // Booleans are indexed as true/false, not strings; the value is from the closed list above.
          unique.map((v) => `${spec.attribute} = ${v === 'true' ? 'true' : 'false'}`)
        : [
            unique.length === 1
              ? `${spec.attribute} = ${quoteValue(unique[0])}`
              : `${spec.attribute} IN ${valueList(unique)}`,
          ],
    );
  }
  const from = dateBound('dateFrom', filters.dateFrom);
  const to = dateBound('dateTo', filters.dateTo);
  if (from !== undefined && to !== undefined && from > to) {
    throw new FilterError('dateFrom', 'dateFrom must not be after dateTo');
  }
  if (from !== undefined) clauses.push([`commentDateTs >= ${from}`]);
  if (to !== undefined) clauses.push([`commentDateTs < ${to + DAY_SECONDS}`]);
  return clauses;
}

function dateBound(
  parameter: 'dateFrom' | 'dateTo',
  value: string | undefined,
): number | undefined {
  if (value === undefined) return undefined;
  const ts = isoDateToUnixSeconds(value);
  if (ts === undefined) {
    throw new FilterError(parameter, `${parameter} must be a date written yyyy-mm-dd`);
  }
  return ts;
}
