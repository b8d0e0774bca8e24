import type { SearchHitDto, SearchResponseDto } from '../search/dto/search-response.dto';
import { DEMOGRAPHIC_FIELDS, INSIGHT_FIELDS } from '../insights/insight-fields';
import { SENTIMENTS, SOURCE_TYPES, type FilterField } from '../search/query/filter-builder';
import type { Theme } from '../enrichment/tagging/taxonomy';
import { label, longDate, snippetHtml } from './labels';

/** The query string as Express parsed it: each value a string or, when repeated, a list. */
export type QueryString = Record<string, string | string[] | undefined>;

/** The population groups as the pages offer them: filter name, label and closed list of values. */
export const DEMOGRAPHIC_FILTERS: ReadonlyArray<{
  name: FilterField;
  text: string;
  values: readonly string[];
}> = DEMOGRAPHIC_FIELDS.map((field) => {
  const { filter, demographic } = INSIGHT_FIELDS[field];
  return { name: filter.name, text: demographic.label, values: filter.values };
});

/** The facets the search page counts. */
export const PAGE_FACETS: readonly FilterField[] = [
  'theme',
  'hcpArea',
  'district',
  'sourceType',
  'organisation',
  'sentiment',
  ...DEMOGRAPHIC_FILTERS.map((d) => d.name),
];

/** Parameters the page itself sets; a URL cannot choose them. */
const PAGE_OWNED = new Set(['facets', 'highlight', 'pageSize']);

/** The search as the URL holds it, without empty values (so links stay short). */
export function cleanQuery(query: QueryString): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, raw] of Object.entries(query)) {
    if (PAGE_OWNED.has(k) || raw === undefined) continue;
    const values = (Array.isArray(raw) ? raw : [raw]).filter(
      (v) => typeof v === 'string' && v.trim() !== '',
    );
    if (values.length) out[k] = values.length === 1 ? values[0] : values;
  }
  return out;
}

/** The values of one parameter as a list. */
export function valuesOf(query: Record<string, string | string[]>, name: string): string[] {
  const v = query[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((s) =>
    name === 'hcpArea' ? [s] : s.split(',').map((x) => x.trim()),
  );
}

/** `path?query` with `changes` applied (undefined removes a parameter). */
export function urlWith(
  path: string,
  query: Record<string, string | string[]>,
  changes: Record<string, string | undefined> = {},
): string {
  const params = new URLSearchParams();
  const merged: Record<string, string | string[] | undefined> = { ...query, ...changes };
  for (const [k, v] of Object.entries(merged)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * What a role without row-level demographic access reads about its counts of population groups,
 * in place of the API's notice (which names the JSON's null). Every other count is exact.
 */
export function groupCountsNotice(threshold: number): string {
  return `Counts of a population group are adjusted by a small fixed amount (at most 2), and counts below ${threshold}, including none, are shown as "fewer than ${threshold}". All other counts are exact.`;
}

/** A facet count as text: a number, or the disclosure-control wording when it is withheld. */
export function countText(
  facets: SearchResponseDto['facets'] | undefined,
  name: string,
  value: string,
  threshold: number,
): string | null {
  const counts = facets?.[name];
  if (!counts) return null;
  const n = counts[value];
  if (n === undefined) return '0';
  if (n === null) return `fewer than ${threshold}`;
  return n.toLocaleString('en-GB');
}

export interface Choice {
  value: string;
  text: string;
  checked?: boolean;
  selected?: boolean;
}

function withCount(text: string, count: string | null): string {
  return count === null ? text : `${text} (${count})`;
}

/** What the items of one filter are made from: its options, the query and the search's facets. */
type FilterItemsArgs = [
  name: string,
  options: ReadonlyArray<{ value: string; text: string }>,
  query: Record<string, string | string[]>,
  facets: SearchResponseDto['facets'] | undefined,
  threshold: number,
];

/** Each option with its count, marked `checked` or `selected` when the query chose it. */
function filterItems(mark: 'checked' | 'selected', ...args: FilterItemsArgs): Choice[] {
  const [name, options, query, facets, threshold] = args;
  const chosen = valuesOf(query, name);
  return options.map((o) => {
    const on = chosen.includes(o.value);
    return {
      value: o.value,
      text: withCount(o.text, countText(facets, name, o.value, threshold)),
      ...(mark === 'checked' ? { checked: on } : { selected: on }),
    };
  });
}

/** Checkbox items for one filter, each with its count. */
export function checkboxItems(...args: FilterItemsArgs): Choice[] {
  return filterItems('checked', ...args);
}

/** Select items for one filter: "Any" first, then each option with its count. */
export function selectItems(...args: FilterItemsArgs): Choice[] {
  const [name, , query] = args;
  return [
    { value: '', text: 'Any', selected: valuesOf(query, name).length === 0 },
    ...filterItems('selected', ...args),
  ];
}

export function vocabulary(values: readonly string[]): Array<{ value: string; text: string }> {
  return values.map((v) => ({ value: v, text: label(v) }));
}

export const SOURCE_TYPE_OPTIONS = vocabulary(SOURCE_TYPES);
export const SENTIMENT_OPTIONS = vocabulary(SENTIMENTS);

export interface ThemeGroup {
  /** Used for ids: `theme-<key>`. */
  key: string;
  title: string;
  open: boolean;
  items: Choice[];
}

/**
 * The theme filter as groups of checkboxes: each category with everything under it, then the
 * strategies and the service areas. A group is open when one of its themes is chosen.
 */
export function themeGroups(
  themes: readonly Theme[],
  query: Record<string, string | string[]>,
  facets: SearchResponseDto['facets'] | undefined,
  threshold: number,
): ThemeGroup[] {
  const children = new Map<string, Theme[]>();
  for (const t of themes) {
    if (t.parentCode === null) continue;
    const list = children.get(t.parentCode) ?? [];
    list.push(t);
    children.set(t.parentCode, list);
  }
  const descendants = (code: string): Theme[] =>
    (children.get(code) ?? []).flatMap((c) => [c, ...descendants(c.code)]);
  const roots = themes.filter((t) => t.parentCode === null);
  const group = (key: string, title: string, members: Theme[]): ThemeGroup => {
    const items = checkboxItems(
      'theme',
      members.map((m) => ({ value: m.code, text: m.name })),
      query,
      facets,
      threshold,
    );
    return { key, title, open: items.some((i) => i.checked), items };
  };
  const groups = roots
    .filter((r) => r.kind === 'category')
    .map((r) =>
      group(r.code, r.name, [
        { ...r, name: `Any ${r.name.toLowerCase()}` },
        ...descendants(r.code),
      ]),
    );
  for (const [kind, title] of [
    ['strategy', 'Strategies'],
    ['service_area', 'Service areas'],
  ] as const) {
    const members = roots
      .filter((r) => r.kind === kind)
      .flatMap((r) => [r, ...descendants(r.code)]);
    if (members.length) groups.push(group(kind, title, members));
  }
  return groups;
}

export interface HitView {
  id: string;
  href: string;
  snippet: string;
  question: string | null;
  date: string;
  themes: string[];
  place: string;
  sourceType: string;
  organisation: string;
  sentiment: string;
}

export function hitView(hit: SearchHitDto, organisationName: (id: string) => string): HitView {
  const place = [
    hit.place.districtName,
    hit.place.hcpArea,
    hit.place.postcodeDistrict ? `postcode district ${hit.place.postcodeDistrict}` : null,
  ].filter((p): p is string => !!p);
  return {
    id: hit.id,
    href: `/insights/${hit.id}`,
    snippet: snippetHtml(hit.text),
    question: hit.question === null ? null : snippetHtml(hit.question),
    date: longDate(hit.date),
    themes: hit.themes.map((t) => t.name),
    place: place.join(', '),
    sourceType: label(hit.sourceType),
    organisation: organisationName(hit.organisationId),
    sentiment: label(hit.sentiment),
  };
}

export interface PaginationView {
  previous?: { href: string };
  next?: { href: string };
  items: Array<{ number?: number; href?: string; current?: boolean; ellipsis?: boolean }>;
}

/** Numbered pagination: first, last, and two either side of the current page. */
export function pagination(
  total: number,
  page: number,
  pageSize: number,
  maxReachable: number,
  link: (page: number) => string,
): PaginationView | null {
  const last = Math.max(1, Math.ceil(Math.min(total, maxReachable) / pageSize));
  if (last <= 1) return null;
  const items: PaginationView['items'] = [];
  let gap = false;
  for (let n = 1; n <= last; n++) {
    if (n === 1 || n === last || Math.abs(n - page) <= 2) {
      items.push({ number: n, href: link(n), current: n === page });
      gap = false;
    } else if (!gap) {
      items.push({ ellipsis: true });
      gap = true;
    }
  }
  return {
    ...(page > 1 ? { previous: { href: link(page - 1) } } : {}),
    ...(page < last ? { next: { href: link(page + 1) } } : {}),
    items,
  };
}
