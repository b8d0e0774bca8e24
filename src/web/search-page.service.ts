import { Injectable } from '@nestjs/common';
import type { Actor } from '../access/actor';
import { DomainError } from '../common/domain-error';
import { OrganisationsService } from '../organisations/organisations.service';
import { ReferenceDataService } from '../reference/reference-data.service';
import { MAX_REACHABLE_HITS } from '../search/query/search-params';
import { SearchService } from '../search/search.service';
import { TaggingService } from '../enrichment/tagging/tagging.service';
import { formErrors, type FieldError, type FormErrors } from './forms';
import {
  checkboxItems,
  cleanQuery,
  countText,
  DEMOGRAPHIC_FILTERS,
  groupCountsNotice,
  hitView,
  PAGE_FACETS,
  pagination,
  selectItems,
  SENTIMENT_OPTIONS,
  SOURCE_TYPE_OPTIONS,
  themeGroups,
  urlWith,
  valuesOf,
  vocabulary,
  type QueryString,
} from './search-view';
import type { SearchResponseDto } from '../search/dto/search-response.dto';

const EXPORT_FORMATS = [
  { format: 'csv', text: 'CSV' },
  { format: 'xlsx', text: 'Excel (XLSX)' },
  { format: 'json', text: 'JSON' },
] as const;

/** Where a parameter's control is on the page, for the error summary's links. */
function controlId(parameter: string): string {
  if (parameter === 'theme') return 'themes';
  if (['sourceType', 'sentiment'].includes(parameter)) return parameter;
  if (
    ['hcpArea', 'district', 'organisation', 'dateFrom', 'dateTo', 'sort'].includes(parameter) ||
    DEMOGRAPHIC_FILTERS.some((d) => d.name === parameter)
  )
    return parameter;
  return 'q';
}

function problemsOf(e: DomainError): FieldError[] {
  const details = Array.isArray(e.details) ? (e.details as unknown[]) : [];
  const problems = details.flatMap((d) => {
    const p = d as { parameter?: unknown; message?: unknown };
    return typeof p.parameter === 'string' && typeof p.message === 'string'
      ? [{ field: controlId(p.parameter), message: `${p.message}` }]
      : [];
  });
  return problems.length ? problems : [{ field: 'q', message: e.message }];
}

/**
 * The search page: the search service with the caller's scope, shaped for the view. The service
 * audits the search, as it does for the API.
 */
@Injectable()
export class SearchPageService {
  constructor(
    private readonly search: SearchService,
    private readonly tagging: TaggingService,
    private readonly reference: ReferenceDataService,
    private readonly organisations: OrganisationsService,
  ) {}

  async page(
    caller: Actor,
    raw: QueryString,
  ): Promise<{ status: number; model: Record<string, unknown> }> {
    const query = cleanQuery(raw);
    const threshold = this.search.threshold;
    let result: SearchResponseDto | undefined;
    let errors: FormErrors | null = null;
    const [outcome, snapshot, orgs] = await Promise.all([
      this.search
        .search(query, caller, { facets: PAGE_FACETS })
        .then((r) => ({ ok: r }) as const)
        .catch((e: unknown) => {
          if (e instanceof DomainError && e.code === 'invalid_input') return { bad: e } as const;
          throw e;
        }),
      this.tagging.refresh(),
      this.organisations.list(),
    ]);
    if ('ok' in outcome) result = outcome.ok;
    else errors = formErrors(problemsOf(outcome.bad));

    const orgName = new Map(orgs.map((o) => [o.id, o.name]));
    const facets = result?.facets;
    const organisationOptions = [
      ...new Set([...Object.keys(facets?.organisation ?? {}), ...valuesOf(query, 'organisation')]),
    ]
      .map((id) => ({ value: id, text: orgName.get(id) ?? 'Unknown organisation' }))
      .sort((a, b) => a.text.localeCompare(b.text));
    const places = this.reference.places;
    const districts = [...places.districts.values()]
      .sort((a, b) => a.hcpArea.localeCompare(b.hcpArea) || a.name.localeCompare(b.name))
      .map((d) => ({ value: d.code, text: `${d.name} (${d.hcpArea})` }));

    const page = Number(query.page ?? 1) || 1;
    const filtersChosen = Object.keys(query).some((k) => !['q', 'sort', 'page'].includes(k));
    const { page: _page, ...withoutPage } = query;
    return {
      status: errors ? 400 : 200,
      model: {
        errors,
        values: {
          q: typeof query.q === 'string' ? query.q : '',
          dateFrom: typeof query.dateFrom === 'string' ? query.dateFrom : '',
          dateTo: typeof query.dateTo === 'string' ? query.dateTo : '',
        },
        sortItems: [
          { value: 'relevance', text: 'Best match' },
          { value: 'newest', text: 'Newest first' },
          { value: 'oldest', text: 'Oldest first' },
        ].map((o) => ({ ...o, selected: (query.sort ?? 'relevance') === o.value })),
        filters: {
          themes: themeGroups(snapshot.taxonomy.themes, query, facets, threshold),
          hcpArea: selectItems('hcpArea', vocabularyOf(places.hcpAreas), query, facets, threshold),
          district: selectItems('district', districts, query, facets, threshold),
          sourceType: checkboxItems('sourceType', SOURCE_TYPE_OPTIONS, query, facets, threshold),
          sentiment: checkboxItems('sentiment', SENTIMENT_OPTIONS, query, facets, threshold),
          organisation: selectItems('organisation', organisationOptions, query, facets, threshold),
          demographics: DEMOGRAPHIC_FILTERS.map((d) => ({
            name: d.name,
            text: d.text,
            items: selectItems(d.name, vocabulary(d.values), query, facets, threshold),
            counts: vocabulary(d.values).map((v) => ({
              text: v.text,
              count: countText(facets, d.name, v.value, threshold) ?? 'not counted',
            })),
          })),
          demographicCountsOnly: !caller.rowLevelDemographics,
          demographicsOpen: DEMOGRAPHIC_FILTERS.some((d) => valuesOf(query, d.name).length),
        },
        threshold,
        filtersChosen,
        clearHref: urlWith('/search', typeof query.q === 'string' ? { q: query.q } : {}),
        result: result && {
          total: result.total,
          notice: result.notice ? groupCountsNotice(threshold) : null,
          hits: result.hits.map((h) =>
            hitView(h, (id) => orgName.get(id) ?? 'Unknown organisation'),
          ),
          pagination:
            result.total === null
              ? null
              : pagination(result.total, page, result.pageSize, MAX_REACHABLE_HITS, (n) =>
                  urlWith('/search', query, { page: n === 1 ? undefined : String(n) }),
                ),
          firstShown: (page - 1) * result.pageSize + 1,
          lastShown: (page - 1) * result.pageSize + result.hits.length,
        },
        exports: caller.canExport
          ? EXPORT_FORMATS.map((f) => ({
              text: f.text,
              href: urlWith('/api/v1/insights/export', withoutPage, {
                sort: undefined,
                format: f.format,
              }),
            }))
          : null,
      },
    };
  }
}

function vocabularyOf(values: readonly string[]): Array<{ value: string; text: string }> {
  return values.map((v) => ({ value: v, text: v }));
}
