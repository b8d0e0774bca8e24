import { toSqlWhere, type AccessScope } from '../access/scope';
import { fieldSql } from '../insights/insight-fields';
import {
  buildFilter,
  FILTER_FIELD_NAMES,
  FILTER_FIELDS,
  FilterError,
  type SearchFilters,
} from './query/filter-builder';

/** A WHERE clause and its values; the clause holds only placeholders, never a value. */
export interface SqlWhere {
  sql: string;
  params: unknown[];
}

export interface SqlWhereOptions {
  /** Table alias to qualify columns with (default: none). */
  alias?: string;
  /** Number of the first placeholder ($n), when the statement has parameters before these. */
  firstParam?: number;
  /**
   * A theme code and every theme below it. The index stores each comment's themes with their
   * ancestors; PostgreSQL stores only the tagged ones, so a filter on a category must list its
   * sub-themes to find the same comments.
   */
  expandTheme?: (code: string) => string[];
  /** Restricts the result to these insight ids (the matches of a text query). */
  ids?: readonly string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The PostgreSQL twin of buildFilter: the same filters and scope as a parameterised WHERE clause,
 * so trends, summaries and exports count exactly the comments a search shows. Values are checked
 * by buildFilter first, so both paths reject the same input with the same message.
 */
export function buildSqlWhere(
  filters: SearchFilters,
  scope: AccessScope,
  opts: SqlWhereOptions = {},
): SqlWhere {
  buildFilter(filters, scope);
  const params: unknown[] = [];
  const first = opts.firstParam ?? 1;
  const p = (value: unknown, cast: string): string => {
    params.push(value);
    return `$${first + params.length - 1}::${cast}`;
  };
  const col = (name: string): string => (opts.alias ? `${opts.alias}.${name}` : name);
  const clauses: string[] = [];

  clauses.push(...toSqlWhere(scope, opts.alias, p));

  for (const name of FILTER_FIELD_NAMES) {
    const values = filters[name];
    if (values === undefined || values.length === 0) continue;
    const unique = [...new Set(values)];
    // Every theme filter reads the stored theme codes (see expandTheme); others their own field.
    const { attribute, kind } = FILTER_FIELDS[name];
    const value = fieldSql(kind === 'themes' ? 'themeCodes' : attribute, col);
    switch (kind) {
      case 'themes': {
        const codes = [...new Set(unique.flatMap((c) => opts.expandTheme?.(c) ?? [c]))];
        clauses.push(`${value} && ${p(codes, 'text[]')}`);
        break;
      }
      case 'uuid':
        unique.forEach((v) => checkUuid(name, v));
        clauses.push(`${value} = ANY(${p(unique, 'uuid[]')})`);
        break;
      case 'boolean':
        clauses.push(
          `${value} = ANY(${p(
            unique.map((v) => v === 'true'),
            'boolean[]',
          )})`,
        );
        break;
      case 'text':
        clauses.push(`${value} = ANY(${p(unique, 'text[]')})`);
        break;
    }
  }
  if (filters.dateFrom !== undefined) {
    clauses.push(`${col('comment_date')} >= ${p(filters.dateFrom, 'date')}`);
  }
  if (filters.dateTo !== undefined) {
    clauses.push(`${col('comment_date')} <= ${p(filters.dateTo, 'date')}`);
  }
  if (opts.ids !== undefined) {
    opts.ids.forEach((id) => checkUuid('id', id));
    clauses.push(`${col('id')} = ANY(${p(opts.ids, 'uuid[]')})`);
  }
  return { sql: clauses.length ? clauses.join(' AND ') : 'TRUE', params };
}

function checkUuid(field: string, v: string): void {
  if (!UUID.test(v)) throw new FilterError(field, `each ${field} value must be an id`);
}
