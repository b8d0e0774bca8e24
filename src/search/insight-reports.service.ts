import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import {
  addCells,
  EMPTY_CELL,
  perturbationNotice,
  publishBreakdown,
  publishCount,
  sumCells,
  type KeyedCount,
} from './query/disclosure';
import {
  SENTIMENTS,
  SOURCE_TYPES,
  usesDemographicFilter,
  type SearchFilters,
} from './query/filter-builder';
import type { SearchParamProblem } from './query/search-params';
import {
  InsightsQueryRepository,
  type TrendInterval,
  type TrendSplit,
} from './insights-query.repository';
import type { Actor } from '../access/actor';
import { queryAudit } from './query-audit';
import { everyPeriod } from './trend-periods';
import { SearchService } from './search.service';
import type {
  SummaryResponseDto,
  TrendSeriesDto,
  TrendsResponseDto,
} from './dto/report-response.dto';

export const TREND_INTERVALS: readonly TrendInterval[] = ['week', 'month', 'quarter'];
export const TREND_BY = ['theme'] as const;
export const TREND_SPLITS: readonly TrendSplit[] = ['hcpArea', 'sourceType'];
export const SUMMARY_TOP_THEMES = 10;

/**
 * Trends and summaries of any search, counted in PostgreSQL with the same filters and scope.
 *
 * Counts are exact, except for roles without row-level demographic access when the search is
 * split by a population group (a demographic filter): then every count of the answer, its total
 * included, is published through the cell key method (src/search/query/disclosure.ts), and the
 * answer is laid out on the frame of the same search without the demographic filter (its
 * periods, themes, split values and closed lists), so an empty group looks like a small one.
 *
 * Each report is audited (`insights.trends`, `insights.summary`) with what was asked, whether or
 * not it is valid, for the API and the trends page alike.
 */
@Injectable()
export class InsightReportsService {
  constructor(
    private readonly search: SearchService,
    private readonly insights: InsightsQueryRepository,
    private readonly audit: AuditService,
  ) {}

  private get threshold(): number {
    return this.search.threshold;
  }

  private protects(filters: SearchFilters, caller: Actor): boolean {
    return !caller.rowLevelDemographics && usesDemographicFilter(filters);
  }

  async trends(
    query: Readonly<Record<string, unknown>>,
    caller: Actor,
  ): Promise<TrendsResponseDto> {
    this.audit.recordSoon(caller, queryAudit('insights.trends', query));
    const { interval: rawInterval, by: rawBy, split: rawSplit, ...rest } = query;
    const problems: SearchParamProblem[] = [];
    const interval = choice('interval', rawInterval, TREND_INTERVALS, problems) ?? 'month';
    const by = choice('by', rawBy, TREND_BY, problems) ?? 'theme';
    const split = choice('split', rawSplit, TREND_SPLITS, problems);
    const { request, where } = await this.search.resolve(rest, caller, problems);
    const protect = this.protects(request.filters, caller);
    const head = { interval, by, ...(split === undefined ? {} : { split }) };

    const counts = await this.insights.trendCounts(interval, split, where);
    // The layout of a protected answer comes from the search without its demographic filter,
    // so which periods, themes and splits appear says nothing about the group.
    const frame = protect
      ? await this.insights.trendCounts(
          interval,
          split,
          (await this.search.resolve(rest, caller, [], { withoutDemographics: true })).where,
        )
      : counts;
    // Every period in range, empty ones included (for a protected answer an empty period's cells
    // are published like any other: below the threshold).
    const periods = everyPeriod([...new Set(frame.map((c) => c.period))], interval);
    const themeCodes = [...new Set(frame.map((c) => c.theme))].sort();
    const splits = [...new Set(frame.map((c) => c.split))].sort((a, b) =>
      (a ?? '').localeCompare(b ?? ''),
    );
    const periodIndex = new Map(periods.map((p, i) => [p, i]));
    const themeIndex = new Map(themeCodes.map((t, i) => [t, i]));
    const publish = (cell: KeyedCount): number | null =>
      protect ? publishCount(cell, this.threshold) : cell.count;

    const series: TrendSeriesDto[] = splits.map((s) => {
      const cells: KeyedCount[][] = periods.map(() => themeCodes.map(() => EMPTY_CELL));
      for (const c of counts) {
        const p = periodIndex.get(c.period);
        const t = themeIndex.get(c.theme);
        if (c.split !== s || p === undefined || t === undefined) continue;
        cells[p][t] = addCells(cells[p][t], c);
      }
      return {
        ...(split === undefined ? {} : { split: s }),
        cells: cells.map((row) => row.map(publish)),
        periodTotals: cells.map((row) => publish(sumCells(row))),
        themeTotals: themeCodes.map((_, t) => publish(sumCells(cells.map((row) => row[t])))),
      };
    });
    const total = await this.insights.keyedCount(where);
    return {
      ...head,
      total: publish(total),
      periods,
      themes: themeCodes.map((c) => this.search.themeRef(c)),
      series,
      suppressionApplied: protect,
      ...(protect ? { notice: perturbationNotice(this.threshold) } : {}),
    };
  }

  async summary(
    query: Readonly<Record<string, unknown>>,
    caller: Actor,
  ): Promise<SummaryResponseDto> {
    this.audit.recordSoon(caller, queryAudit('insights.summary', query));
    const { request, where } = await this.search.resolve(query, caller);
    if (!this.protects(request.filters, caller)) {
      const s = await this.insights.summary(where, SUMMARY_TOP_THEMES);
      const sentiment = Object.fromEntries(SENTIMENTS.map((k) => [k, s.sentiment[k]?.count ?? 0]));
      if (s.sentiment.none) sentiment.none = s.sentiment.none.count;
      return {
        count: s.count,
        organisations: s.organisations,
        sourceTypes: Object.fromEntries(
          SOURCE_TYPES.filter((k) => s.sourceTypes[k]).map((k) => [k, s.sourceTypes[k].count]),
        ),
        dateRange: { from: s.dateFrom, to: s.dateTo },
        topThemes: s.themes.map((t) => ({ ...this.search.themeRef(t.code), count: t.count })),
        sentiment,
      };
    }

    // A population group: every count is a published cell; the organisations and the first and
    // last dates of a small group would point at people, so they are not given.
    const s = await this.insights.summary(where, null);
    const breakdown = (cells: Record<string, KeyedCount>, values: readonly string[]) =>
      publishBreakdown(new Map(Object.entries(cells)), values, this.threshold).counts;
    const topThemes = s.themes
      .map((t) => ({ code: t.code, count: publishCount(t, this.threshold) }))
      .filter((t): t is { code: string; count: number } => t.count !== null)
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
      .slice(0, SUMMARY_TOP_THEMES)
      .map((t) => ({ ...this.search.themeRef(t.code), count: t.count }));
    return {
      count: publishCount(s, this.threshold),
      organisations: null,
      sourceTypes: breakdown(s.sourceTypes, SOURCE_TYPES),
      dateRange: { from: null, to: null },
      topThemes,
      sentiment: breakdown(s.sentiment, [...SENTIMENTS, 'none']),
      notice: perturbationNotice(this.threshold),
    };
  }
}

function choice<T extends string>(
  parameter: string,
  raw: unknown,
  allowed: readonly T[],
  problems: SearchParamProblem[],
): T | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw === 'string' && (allowed as readonly string[]).includes(raw)) return raw as T;
  problems.push({ parameter, message: `${parameter} must be one of: ${allowed.join(', ')}` });
  return undefined;
}
