import { toMeiliFilter, type AccessScope } from '../../access/scope';
import { quoteValue, valueList } from '../../common/meili-literal';
import {
  FIELD_SPECS,
  type DocumentField,
  type FilterField,
  type FilterKind,
} from '../../insights/insight-fields';

export { SENTIMENTS, SHARING_LEVELS, SOURCE_TYPES } from '../../common/vocabulary';
export type { FilterField } from '../../insights/insight-fields';

export interface FilterFieldSpec {
  /** The index attribute; user input never chooses it. */
  attribute: DocumentField;
  /** How PostgreSQL matches it (see sql-where.ts). */
  kind: FilterKind;
  /** Subject to disclosure control for roles without row-level demographic access. */
  demographic: boolean;
  /** The only values accepted, when the field is an enumeration. */
  values?: readonly string[];
  /** Comma lists are split, except where real values contain commas (HCP area names do). */
  commaSeparated: boolean;
  boolean?: true;
}

/** The filter whitelist, in the catalogue's order: every field with a filter, by parameter name. */
export const FILTER_FIELDS = Object.fromEntries(
  FIELD_SPECS.flatMap(([attribute, { filter, demographic }]) => {
    if (!filter) return [];
    const spec: FilterFieldSpec = {
      attribute: attribute as DocumentField,
      kind: filter.kind,
      demographic: demographic !== undefined,
      ...(filter.values ? { values: filter.values } : {}),
      commaSeparated: filter.commaSeparated ?? true,
      ...(filter.kind === 'boolean' ? { boolean: true as const } : {}),
    };
    return [[filter.name, spec]];
  }),
) as Record<FilterField, FilterFieldSpec>;

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
