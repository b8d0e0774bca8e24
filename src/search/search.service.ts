import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { DomainError, notFound } from '../common/domain-error';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import {
  DEMOGRAPHIC_FIELDS,
  storedValue,
  type DemographicField,
  type InsightSearchDocument,
  type RetrievedField,
} from '../insights/insight-fields';
import type { Insight } from '../insights/insight.entity';
import { ReferenceDataService } from '../reference/reference-data.service';
import { SearchIndexService } from './indexing/search-index.service';
import { IndexGateway } from './index-gateway';
import { MeiliRequestError } from './meili/meili.service';
import {
  cellsFromFacet,
  countsOnlyMessage,
  perturbationNotice,
  publishBreakdown,
} from './query/disclosure';
import {
  demographicFiltersIn,
  FILTER_FIELDS,
  FilterError,
  withoutDemographicFilters,
  type SearchFilters,
} from './query/filter-builder';
import {
  buildMeiliSearchRequest,
  facetAttribute,
  highlightToSafeHtml,
  newHighlightTags,
  type HighlightTags,
} from './query/search-document';
import {
  FACET_NAMES,
  MAX_REACHABLE_HITS,
  parseSearchParams,
  SearchParamError,
  type FilterVocabularies,
  type SearchParamProblem,
  type SearchRequest,
} from './query/search-params';
import { InsightsQueryRepository } from './insights-query.repository';
import { queryAudit } from './query-audit';
import { protectCodes } from './query-codes';
import type { Actor } from '../access/actor';
import { buildSqlWhere, type SqlWhere } from './sql-where';
import type {
  InsightDto,
  SearchHitDto,
  SearchResponseDto,
  ThemeRefDto,
} from './dto/search-response.dto';

/** A search hit: the retrieved attributes, population groups for roles with row-level access. */
type IndexHit = Pick<InsightSearchDocument, RetrievedField> &
  Partial<Pick<InsightSearchDocument, DemographicField>> & {
    _formatted?: { text?: string; question?: string | null };
  };

interface IndexSearchResult {
  hits: IndexHit[];
  totalHits?: number;
  facetDistribution?: Record<string, Record<string, number>>;
}

/** Every comment has exactly one source type, so its facet counts add up to the exact total. */
const TOTAL_FACET = FILTER_FIELDS.sourceType.attribute;

/** A search resolved to what PostgreSQL can run: filters, scope and the matches of any text. */
export interface ResolvedQuery {
  request: SearchRequest;
  where: SqlWhere;
}

/**
 * Search and retrieval of insights, with the caller's scope and disclosure control applied. A
 * search and a view of one comment record their own audit rows, for the API and the pages alike.
 */
@Injectable()
export class SearchService {
  readonly threshold: number;

  constructor(
    private readonly gateway: IndexGateway,
    private readonly index: SearchIndexService,
    private readonly insights: InsightsQueryRepository,
    private readonly reference: ReferenceDataService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.threshold = config.DISCLOSURE_THRESHOLD;
  }

  /**
   * A search, audited as `insights.search` with what was asked, whether or not it is valid.
   * `facets` are the counts a page shows whatever the query asks: the page's, not the person's
   * question, so they are not audited.
   */
  async search(
    query: Readonly<Record<string, unknown>>,
    caller: Actor,
    opts: { facets?: readonly string[] } = {},
  ): Promise<SearchResponseDto> {
    this.audit.recordSoon(caller, queryAudit('insights.search', query));
    const asked = opts.facets ? { ...query, facets: opts.facets.join(',') } : query;
    const req = parseOrThrow(asked, [], this.vocabularies());
    this.refuseDemographicSelection(req.filters, caller);
    const keyed = !caller.rowLevelDemographics;
    const tags = newHighlightTags();
    const body = asInvalidInput(() =>
      buildMeiliSearchRequest(req, caller.scope, {
        facetsAllowed: FACET_NAMES,
        rowLevelDemographics: caller.rowLevelDemographics,
        keyedDemographicFacets: keyed,
        highlightTags: tags,
      }),
    );
    body.q = protectCodes(req.q);
    const facetAttributes = (body.facets as string[] | undefined) ?? [];
    body.facets = facetAttributes.includes(TOTAL_FACET)
      ? facetAttributes
      : [...facetAttributes, TOTAL_FACET];
    const res = await this.indexSearch(body);
    const total = exactTotal(res);

    const facets: Record<string, Record<string, number | null>> = {};
    const suppressed: Record<string, string[]> = {};
    for (const name of req.facets) {
      const spec = FILTER_FIELDS[name];
      const distribution = res.facetDistribution?.[facetAttribute(name, keyed)] ?? {};
      if (spec.demographic && keyed) {
        const published = publishBreakdown(
          cellsFromFacet(distribution),
          spec.values ?? [],
          this.threshold,
        );
        facets[name] = published.counts;
        if (published.suppressed.length) suppressed[name] = published.suppressed;
      } else {
        facets[name] = byCount(distribution);
      }
    }
    const perturbed = keyed && req.facets.some((name) => FILTER_FIELDS[name].demographic);
    // Ids are what filters take; people read names. Only ids already in the (scoped) facet are
    // looked up, so a label never names something the caller could not find.
    const facetLabels: Record<string, Record<string, string>> = {};
    if (facets.organisation)
      facetLabels.organisation = await this.insights.organisationNames(
        Object.keys(facets.organisation),
      );
    if (facets.batch)
      facetLabels.batch = await this.insights.batchTitles(Object.keys(facets.batch));
    return {
      query: req.q,
      page: req.page,
      pageSize: req.pageSize,
      total,
      hits: res.hits.map((h) => this.toHit(h, caller.rowLevelDemographics, tags)),
      facets,
      facetLabels,
      suppressed,
      ...(perturbed ? { notice: perturbationNotice(this.threshold) } : {}),
    };
  }

  /**
   * One comment the caller may see (hidden answers "not found", like missing), unaudited: the
   * check before an action that records its own audit row, such as a tag review.
   */
  async get(id: string, caller: Actor): Promise<InsightDto> {
    const insight = await this.insights.findVisible(id, buildSqlWhere({}, caller.scope));
    if (!insight) throw notFound('Insight', id);
    return this.toInsight(insight, caller.rowLevelDemographics);
  }

  /** One comment as a person reads it (API or page), audited as `insights.view`. */
  async view(id: string, caller: Actor): Promise<InsightDto> {
    const insight = await this.get(id, caller);
    await this.audit.record(caller, {
      action: 'insights.view',
      targetType: 'insight',
      targetId: id,
    });
    return insight;
  }

  /**
   * Turns the query string of a report or export into a PostgreSQL WHERE clause. `selectsComments`
   * (exports) refuses population-group filters from roles without row-level access;
   * `withoutDemographics` drops them (the frame a protected breakdown is laid out on). Filters map to
   * columns; a text query is answered by the index (so typos, synonyms and plurals match as they
   * do in search) and its matches become an id list.
   */
  async resolve(
    query: Readonly<Record<string, unknown>>,
    caller: Actor,
    extraProblems: SearchParamProblem[] = [],
    opts: { selectsComments?: boolean; withoutDemographics?: boolean } = {},
  ): Promise<ResolvedQuery> {
    const parsed = parseOrThrow(query, extraProblems, this.vocabularies());
    if (opts.selectsComments) this.refuseDemographicSelection(parsed.filters, caller);
    const request = opts.withoutDemographics
      ? { ...parsed, filters: withoutDemographicFilters(parsed.filters) }
      : parsed;
    let ids: string[] | undefined;
    if (request.q !== '') ids = await this.matchingIds(request, caller);
    const where = asInvalidInput(() =>
      buildSqlWhere(request.filters, caller.scope, {
        alias: 'i',
        expandTheme: (code) => this.themeAndDescendants(code),
        ...(ids === undefined ? {} : { ids }),
      }),
    );
    return { request, where };
  }

  /**
   * Roles without row-level demographic access never select comments by a population group:
   * every path that lists comments or ids refuses a demographic filter from them (aggregates
   * take it, and publish through the cell key method instead).
   */
  refuseDemographicSelection(filters: SearchFilters, caller: Actor): void {
    if (caller.rowLevelDemographics) return;
    const used = demographicFiltersIn(filters);
    if (!used.length) return;
    throw new DomainError(
      'invalid_input',
      countsOnlyMessage(used),
      used.map((parameter) => ({ parameter, message: countsOnlyMessage([parameter]) })),
    );
  }

  /** The place hierarchy's closed lists, so an unknown area or district is named, not ignored. */
  private vocabularies(): FilterVocabularies {
    const places = this.reference.places;
    return { hcpArea: places.hcpAreas, district: [...places.districts.keys()] };
  }

  themeName(code: string): string | undefined {
    return this.reference.taxonomy.byCode(code)?.name;
  }

  districtName(code: string): string | undefined {
    return this.reference.ladName(code);
  }

  themeRef(code: string): ThemeRefDto {
    return { code, name: this.themeName(code) ?? code };
  }

  private themeAndDescendants(code: string): string[] {
    const out = [code];
    for (let i = 0; i < out.length; i++) {
      for (const child of this.reference.taxonomy.children(out[i])) {
        if (!out.includes(child.code)) out.push(child.code);
      }
    }
    return out;
  }

  private async matchingIds(request: SearchRequest, caller: Actor): Promise<string[]> {
    const body = asInvalidInput(() =>
      buildMeiliSearchRequest(
        { ...request, page: 1, pageSize: MAX_REACHABLE_HITS, facets: [], highlight: false },
        caller.scope,
        { facetsAllowed: [] },
      ),
    );
    body.q = protectCodes(request.q);
    body.attributesToRetrieve = ['id'];
    body.facets = [TOTAL_FACET];
    delete body.attributesToCrop;
    delete body.cropLength;
    const res = await this.indexSearch(body);
    const total = exactTotal(res);
    if (total > MAX_REACHABLE_HITS) {
      throw new DomainError(
        'invalid_input',
        `The text search matches ${total} comments; reports and exports with a text query (q) are limited to ${MAX_REACHABLE_HITS}. Add filters or remove q.`,
        [{ parameter: 'q', message: `q matches more than ${MAX_REACHABLE_HITS} comments` }],
      );
    }
    return res.hits.map((h) => h.id);
  }

  private async indexSearch(body: Record<string, unknown>): Promise<IndexSearchResult> {
    try {
      await this.index.ensureReady();
      return await this.gateway.search<IndexSearchResult>(this.index.uid, body);
    } catch (e) {
      if (e instanceof MeiliRequestError && e.status < 500) throw e;
      throw new DomainError(
        'upstream_unavailable',
        'The search index is not available at the moment; try again shortly.',
      );
    }
  }

  private toHit(h: IndexHit, rowLevel: boolean, tags: HighlightTags): SearchHitDto {
    const text = h._formatted?.text ?? h.text;
    const question = h._formatted?.question ?? h.question;
    return {
      id: h.id,
      text: highlightToSafeHtml(text, tags),
      question:
        question === null || question === undefined ? null : highlightToSafeHtml(question, tags),
      date: h.commentDate,
      themes: h.themeCodes.map((c) => this.themeRef(c)),
      sentiment: h.sentiment,
      place: {
        hcpArea: h.hcpArea,
        district: h.ladCode,
        districtName: h.ladName ?? null,
        postcodeDistrict: h.postcodeDistrict,
      },
      sourceType: h.sourceType,
      organisationId: h.organisationId,
      batchId: h.batchId,
      ...(rowLevel ? { demographics: pickDemographics((f) => h[f]) } : {}),
    };
  }

  private toInsight(i: Insight, rowLevel: boolean): InsightDto {
    return {
      id: i.id,
      text: i.text,
      question: i.question,
      date: i.commentDate,
      themes: i.themes.map((t) => ({
        ...this.themeRef(t.code),
        provenance: t.provenance,
        confidence: t.confidence,
      })),
      sentiment: i.sentiment,
      sentimentScore: i.sentimentScore,
      place: {
        hcpArea: i.hcpArea,
        district: i.ladCode,
        districtName: i.ladCode === null ? null : (this.districtName(i.ladCode) ?? null),
        postcodeDistrict: i.postcodeDistrict,
      },
      sourceType: i.sourceType,
      organisationId: i.organisationId,
      batchId: i.batchId,
      language: i.language,
      sharingLevel: i.sharingLevel,
      needsReview: i.needsReview,
      safeguarding: i.safeguarding,
      ...(rowLevel
        ? {
            demographics: pickDemographics((f) => storedValue(f, i)),
          }
        : {}),
    };
  }
}

function pickDemographics(valueOf: (field: DemographicField) => unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of DEMOGRAPHIC_FIELDS) {
    const v = valueOf(f);
    if (typeof v === 'string') out[f] = v;
  }
  return out;
}

/**
 * Facet values most frequent first (ties by value), whatever order the index counted them in:
 * the index counts themes in code order because that is faster over broad searches.
 */
export function byCount(counts: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  const entries = Object.entries(counts).sort(
    ([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0),
  );
  for (const [value, n] of entries) out[value] = n;
  return out;
}

/** totalHits is exact below maxTotalHits; at the cap, the single-valued facet gives the count. */
function exactTotal(res: IndexSearchResult): number {
  const totalHits = res.totalHits ?? 0;
  if (totalHits < MAX_REACHABLE_HITS) return totalHits;
  const counts = res.facetDistribution?.[TOTAL_FACET] ?? {};
  return Math.max(
    totalHits,
    Object.values(counts).reduce((a, b) => a + b, 0),
  );
}

function parseOrThrow(
  query: Readonly<Record<string, unknown>>,
  extraProblems: SearchParamProblem[] = [],
  vocabularies: FilterVocabularies = {},
): SearchRequest {
  try {
    const req = parseSearchParams(query, vocabularies);
    if (extraProblems.length) throw new SearchParamError(extraProblems);
    return req;
  } catch (e) {
    if (e instanceof SearchParamError) {
      const problems =
        e.problems === extraProblems ? e.problems : [...extraProblems, ...e.problems];
      throw new DomainError(
        'invalid_input',
        `Invalid search parameters: ${problems.map((p) => p.message).join('; ')}`,
        problems,
      );
    }
    throw e;
  }
}

function asInvalidInput<T>(work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof FilterError) {
      throw new DomainError('invalid_input', e.message, [
        { parameter: e.field, message: e.message },
      ]);
    }
    throw e;
  }
}
