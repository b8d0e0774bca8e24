import { randomBytes } from 'node:crypto';
import {
  cellAttribute,
  DEMOGRAPHIC_FIELDS,
  fieldsWhere,
  storedValue,
  type ComputedDocumentField,
  type DocumentField,
  type InsightLike,
  type InsightSearchDocument,
} from '../../insights/insight-fields';
import { RETRIEVABLE_ATTRIBUTES } from '../insights-index';
import { cellTerms } from './disclosure';
import { buildFilter, FILTER_FIELDS, FilterError, type FilterField } from './filter-builder';
import type { AccessScope } from '../../access/scope';
import type { SearchRequest } from './search-params';

export type ThemeKind = 'category' | 'sub_theme' | 'strategy' | 'service_area';

export interface SearchDocumentLookups {
  themeName(code: string): string | undefined;
  themeParent(code: string): string | undefined;
  ladName(code: string): string | undefined;
  /**
   * The taxonomy kind of a theme. Without it, a top-level theme counts as a category and any
   * other as a sub-theme, and service areas are not told apart.
   */
  themeKind?(code: string): ThemeKind | undefined;
}

export class SearchDocumentError extends Error {
  constructor(
    readonly insightId: string,
    message: string,
  ) {
    super(message);
    this.name = 'SearchDocumentError';
  }
}

/** The document's fields, and those the mapping builds rather than copies (see insight-fields.ts). */
const DOCUMENT_FIELDS = fieldsWhere((s) => s.document) as DocumentField[];
const COMPUTED = new Set<DocumentField>(
  fieldsWhere((s) => s.document?.computed) as DocumentField[],
);

/** Deeper than any taxonomy; stops a cycle in bad taxonomy data from hanging the index job. */
const MAX_THEME_DEPTH = 16;

/**
 * The search document for one insight. Themes are widened to their ancestors so that filtering
 * on a category finds comments tagged only with its sub-themes. Nothing else leaves: no external
 * reference, content hash, metadata, redaction summary or ethnicity detail.
 */
export function toSearchDocument(
  insight: InsightLike,
  lookups: SearchDocumentLookups,
): InsightSearchDocument {
  const themeCodes: string[] = [];
  for (const code of insight.themeCodes) {
    let current: string | undefined = code;
    for (let depth = 0; current !== undefined && depth < MAX_THEME_DEPTH; depth++) {
      if (!themeCodes.includes(current)) themeCodes.push(current);
      current = lookups.themeParent(current);
    }
  }
  const themeNames: string[] = [];
  const categoryCodes: string[] = [];
  const subThemeCodes: string[] = [];
  const serviceAreas: string[] = [];
  for (const code of themeCodes) {
    const name = lookups.themeName(code);
    if (name !== undefined && !themeNames.includes(name)) themeNames.push(name);
    const kind =
      lookups.themeKind?.(code) ??
      (lookups.themeParent(code) === undefined ? 'category' : 'sub_theme');
    switch (kind) {
      case 'category':
        categoryCodes.push(code);
        break;
      case 'sub_theme':
        subThemeCodes.push(code);
        break;
      case 'service_area':
        serviceAreas.push(code);
        break;
      case 'strategy':
        break;
    }
  }

  const commentDate = isoDate(insight);
  const ladName = insight.ladCode === null ? undefined : lookups.ladName(insight.ladCode);
  const computed: Pick<InsightSearchDocument, ComputedDocumentField> = {
    themeCodes,
    themeNames,
    categoryCodes,
    subThemeCodes,
    serviceAreas,
    commentDate,
    commentDateTs: commentDate === null ? null : Date.parse(`${commentDate}T00:00:00Z`) / 1000,
    ...(ladName === undefined ? {} : { ladName }),
  };
  const doc: Record<string, unknown> = {};
  for (const field of DOCUMENT_FIELDS) {
    if (!COMPUTED.has(field)) doc[field] = storedValue(field, insight);
    else if (field in computed) doc[field] = computed[field as ComputedDocumentField];
  }
  for (const field of DEMOGRAPHIC_FIELDS) {
    doc[cellAttribute(field)] = cellTerms(String(doc[field]), insight.recordKey);
  }
  return doc as InsightSearchDocument;
}

function isoDate(insight: InsightLike): string | null {
  const d = insight.commentDate;
  if (d === null) return null;
  if (d instanceof Date) {
    if (Number.isNaN(d.getTime())) {
      throw new SearchDocumentError(
        insight.id,
        `Insight ${insight.id} has an invalid comment date`,
      );
    }
    return d.toISOString().slice(0, 10);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`))) {
    throw new SearchDocumentError(
      insight.id,
      `Insight ${insight.id} has a comment date that is not yyyy-mm-dd`,
    );
  }
  return d;
}

export const HIGHLIGHT_PRE_TAG = '<mark>';
export const HIGHLIGHT_POST_TAG = '</mark>';

/** What Meilisearch is asked to put around each match, before they become `<mark>` tags. */
export interface HighlightTags {
  pre: string;
  post: string;
}

/**
 * Tags no comment can contain: random for each search. With fixed tags such as `<mark>`, a
 * comment that holds the literal text `<mark>` could not be told apart from a match, and would
 * come back as markup.
 */
export function newHighlightTags(): HighlightTags {
  const nonce = randomBytes(12).toString('base64url');
  return { pre: `\uE000${nonce}\uE001`, post: `\uE002${nonce}\uE003` };
}
/** Words of context around the first match in a result snippet. */
export const CROP_LENGTH = 40;

export interface MeiliSearchBuildOptions {
  /** Facet names (filter field names) this caller may request. */
  facetsAllowed: readonly string[];
  /** Retrieve demographic attributes: only for roles with row-level demographic access. */
  rowLevelDemographics?: boolean;
  /**
   * Count demographic facets on their cell twins (`value`, `value#bit`), so the cell key method
   * can publish them: for roles without row-level demographic access.
   */
  keyedDemographicFacets?: boolean;
  /** The tags around matches (`newHighlightTags()`); `<mark>` when not given. */
  highlightTags?: HighlightTags;
}

/**
 * The body of POST /indexes/{uid}/search. Page-based pagination makes Meilisearch count hits
 * exactly (up to maxTotalHits). Facets are requested by filter name and sent as attributes.
 */
export function buildMeiliSearchRequest(
  req: SearchRequest,
  scope: AccessScope,
  opts: MeiliSearchBuildOptions,
): Record<string, unknown> {
  const refused = req.facets.filter((f) => !opts.facetsAllowed.includes(f));
  if (refused.length > 0) {
    throw new FilterError('facets', `facets not available to this account: ${refused.join(', ')}`);
  }
  const body: Record<string, unknown> = {
    q: req.q,
    filter: buildFilter(req.filters, scope),
    page: req.page,
    hitsPerPage: req.pageSize,
    attributesToRetrieve: [
      ...RETRIEVABLE_ATTRIBUTES,
      ...(opts.rowLevelDemographics ? DEMOGRAPHIC_FIELDS : []),
    ],
    showMatchesPosition: false,
  };
  if (req.facets.length > 0) {
    body.facets = req.facets.map((f) => facetAttribute(f, opts.keyedDemographicFacets ?? false));
  }
  switch (req.sort) {
    case 'newest':
      body.sort = ['commentDateTs:desc'];
      break;
    case 'oldest':
      body.sort = ['commentDateTs:asc'];
      break;
    case 'relevance':
      break;
  }
  if (req.highlight && req.q !== '') {
    body.attributesToHighlight = ['text', 'question'];
    body.highlightPreTag = opts.highlightTags?.pre ?? HIGHLIGHT_PRE_TAG;
    body.highlightPostTag = opts.highlightTags?.post ?? HIGHLIGHT_POST_TAG;
  }
  body.attributesToCrop = ['text'];
  body.cropLength = CROP_LENGTH;
  return body;
}

/** The index attribute a facet is counted on. */
export function facetAttribute(name: FilterField, keyed: boolean): string {
  const spec = FILTER_FIELDS[name];
  return keyed && spec.demographic ? `${spec.attribute}Cells` : spec.attribute;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Meilisearch returns highlighted text unescaped, with the tags inserted. This escapes the
 * comment for HTML and turns only the search's own tags into `<mark>`, so feedback text cannot
 * inject markup into a page, not even a `<mark>` of its own (with `<mark>` as the tags, as by
 * default, such a comment's tags would pass as matches: pass the search's `newHighlightTags()`).
 */
export function highlightToSafeHtml(
  formatted: string,
  tags: HighlightTags = { pre: HIGHLIGHT_PRE_TAG, post: HIGHLIGHT_POST_TAG },
): string {
  return formatted
    .split(tags.pre)
    .map((part) =>
      part
        .split(tags.post)
        .map((s) => s.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]))
        .join(HIGHLIGHT_POST_TAG),
    )
    .join(HIGHLIGHT_PRE_TAG);
}
