import { Injectable } from '@nestjs/common';
import { suppressFacet, suppressTable } from './query/disclosure';
import { SENTIMENTS, SOURCE_TYPES, usesDemographicFilter } from './query/filter-builder';
import type { SearchParamProblem } from './query/search-params';
import {
  InsightsQueryRepository,
  type TrendInterval,
  type TrendSplit,
} from './insights-query.repository';
import type { CallerScope } from './scope';
import { SearchService, withheldNotice } from './search.service';
import type {
  SummaryResponseDto,
  TrendSeriesDto,
  TrendsResponseDto,
} from './dto/report-response.dto';

export const TREND_INTERVALS: readonly TrendInterval[] = ['week', 'month', 'quarter'];
export const TREND_BY = ['theme'] as const;
export const TREND_SPLITS: readonly TrendSplit[] = ['hcpArea', 'sourceType'];
export const SUMMARY_TOP_THEMES = 10;

/** Trends and summaries of any search, counted in PostgreSQL with the same filters and scope. */
@Injectable()
export class InsightReportsService {
  constructor(
    private readonly search: SearchService,
    private readonly insights: InsightsQueryRepository,
  ) {}

  async trends(
    query: Readonly<Record<string, unknown>>,
    caller: CallerScope,
  ): Promise<TrendsResponseDto> {
    const { interval: rawInterval, by: rawBy, split: rawSplit, ...rest } = query;
    const problems: SearchParamProblem[] = [];
    const interval = choice('interval', rawInterval, TREND_INTERVALS, problems) ?? 'month';
    const by = choice('by', rawBy, TREND_BY, problems) ?? 'theme';
    const split = choice('split', rawSplit, TREND_SPLITS, problems);
    const { request, where } = await this.search.resolve(rest, caller, problems);
    const suppress = !caller.rowLevelDemographics;
    const head = { interval, by, ...(split === undefined ? {} : { split }) };

    if (usesDemographicFilter(request.filters) && suppress) {
      const count = await this.insights.count(where);
      if (this.search.withholds(count, request.filters, caller)) {
        return {
          ...head,
          periods: [],
          themes: [],
          series: [],
          suppressionApplied: true,
          notice: withheldNotice(this.search.threshold),
        };
      }
    }

    const counts = await this.insights.trendCounts(interval, split, where);
    const periods = [...new Set(counts.map((c) => c.period))].sort();
    const themeCodes = [...new Set(counts.map((c) => c.theme))].sort();
    const splits = [...new Set(counts.map((c) => c.split))].sort((a, b) =>
      (a ?? '').localeCompare(b ?? ''),
    );
    const periodIndex = new Map(periods.map((p, i) => [p, i]));
    const themeIndex = new Map(themeCodes.map((t, i) => [t, i]));

    const series: TrendSeriesDto[] = splits.map((s) => {
      const cells = periods.map(() => themeCodes.map(() => 0));
      for (const c of counts) {
        if (c.split !== s) continue;
        cells[periodIndex.get(c.period)!][themeIndex.get(c.theme)!] += c.n;
      }
      const periodTotals = cells.map((row) => row.reduce((a, b) => a + b, 0));
      const themeTotals = themeCodes.map((_, t) => cells.reduce((a, row) => a + row[t], 0));
      const hideSmall = (n: number): number | null =>
        suppress && n > 0 && n < this.search.threshold ? null : n;
      return {
        ...(split === undefined ? {} : { split: s }),
        cells: suppress ? suppressTable(cells, this.search.threshold) : cells,
        periodTotals: periodTotals.map(hideSmall),
        themeTotals: themeTotals.map(hideSmall),
      };
    });
    return {
      ...head,
      periods,
      themes: themeCodes.map((c) => this.search.themeRef(c)),
      series,
      suppressionApplied: suppress,
    };
  }

  async summary(
    query: Readonly<Record<string, unknown>>,
    caller: CallerScope,
  ): Promise<SummaryResponseDto> {
    const { request, where } = await this.search.resolve(query, caller);
    const s = await this.insights.summary(where, SUMMARY_TOP_THEMES);
    if (this.search.withholds(s.count, request.filters, caller)) {
      return {
        count: null,
        organisations: null,
        sourceTypes: {},
        dateRange: { from: null, to: null },
        topThemes: [],
        sentiment: {},
        notice: withheldNotice(this.search.threshold),
      };
    }
    // With a demographic filter the breakdowns become counts of a population group, so roles
    // without row-level access get them with the same suppression as demographic facets.
    const protecting = !caller.rowLevelDemographics && usesDemographicFilter(request.filters);
    const protect = (counts: Record<string, number>): Record<string, number | null> =>
      protecting ? suppressFacet(counts, s.count, this.search.threshold).counts : counts;
    const sentiment = Object.fromEntries(SENTIMENTS.map((k) => [k, s.sentiment[k] ?? 0]));
    if (s.sentiment.none) sentiment.none = s.sentiment.none;
    const sourceTypes = Object.fromEntries(
      SOURCE_TYPES.filter((k) => s.sourceTypes[k]).map((k) => [k, s.sourceTypes[k]]),
    );
    return {
      count: s.count,
      organisations: s.organisations,
      sourceTypes: protect(sourceTypes),
      dateRange: { from: s.dateFrom, to: s.dateTo },
      topThemes: s.themes
        .filter((t) => !protecting || t.count >= this.search.threshold)
        .map((t) => ({ ...this.search.themeRef(t.code), count: t.count })),
      sentiment: protect(sentiment),
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
