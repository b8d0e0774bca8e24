import { Injectable } from '@nestjs/common';
import type { Actor } from '../access/actor';
import { SOURCE_TYPES } from '../batches/batch.entity';
import { DomainError } from '../common/domain-error';
import { ReferenceDataService } from '../reference/reference-data.service';
import type { TrendsResponseDto } from '../search/dto/report-response.dto';
import { InsightReportsService } from '../search/insight-reports.service';
import { SearchService } from '../search/search.service';
import { formErrors, type FieldError } from './forms';
import { label } from './labels';
import {
  DEMOGRAPHIC_FILTERS,
  groupCountsNotice,
  vocabulary,
  type QueryString,
} from './search-view';
import { chartData, trendsTable } from './trends-view';

const FILTERS: readonly string[] = [
  'hcpArea',
  'sourceType',
  ...DEMOGRAPHIC_FILTERS.map((d) => d.name),
];

function one(query: QueryString, name: string): string {
  const v = query[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s.trim() : '';
}

/** Problems the trends service names by parameter, against the page's controls. */
function problemsOf(e: DomainError): FieldError[] {
  const details = Array.isArray(e.details) ? (e.details as unknown[]) : [];
  const found = details.flatMap((d) => {
    const p = d as { parameter?: unknown; message?: unknown };
    return typeof p.parameter === 'string' && typeof p.message === 'string'
      ? [
          {
            field: FILTERS.includes(p.parameter) ? p.parameter : 'hcpArea',
            message: p.message,
          },
        ]
      : [];
  });
  return found.length ? found : [{ field: 'hcpArea', message: e.message }];
}

/** The trends page: comments per theme and month, from the same service and scope as the API. */
@Injectable()
export class TrendsPageService {
  constructor(
    private readonly reports: InsightReportsService,
    private readonly search: SearchService,
    private readonly reference: ReferenceDataService,
  ) {}

  async page(
    caller: Actor,
    query: QueryString,
  ): Promise<{ status: number; model: Record<string, unknown> }> {
    const values: Record<string, string> = Object.fromEntries(
      FILTERS.map((f) => [f, one(query, f)]),
    );
    const asked: Record<string, string> = { interval: 'month' };
    for (const f of FILTERS) if (values[f]) asked[f] = values[f];
    const groupChosen = DEMOGRAPHIC_FILTERS.filter((d) => values[d.name]);
    const threshold = this.search.threshold;
    let result: TrendsResponseDto | null = null;
    let problems: FieldError[] = [];
    const outcome = await this.reports
      .trends(asked, caller)
      .then((r) => ({ ok: r }) as const)
      .catch((e: unknown) => {
        if (e instanceof DomainError && e.code === 'invalid_input') return { bad: e } as const;
        throw e;
      });
    if ('ok' in outcome) result = outcome.ok;
    else problems = problemsOf(outcome.bad);

    const table = result ? trendsTable(result) : null;
    const places = this.reference.places;
    return {
      status: problems.length ? 400 : 200,
      model: {
        errors: formErrors(problems),
        threshold,
        filtered: FILTERS.some((f) => values[f]),
        filters: {
          hcpArea: [
            { value: '', text: 'All areas' },
            ...places.hcpAreas.map((a) => ({ value: a, text: a })),
          ].map((o) => ({ ...o, selected: o.value === values.hcpArea })),
          sourceType: [
            { value: '', text: 'All source types' },
            ...SOURCE_TYPES.map((s) => ({ value: s, text: label(s) })),
          ].map((o) => ({ ...o, selected: o.value === values.sourceType })),
          demographics: DEMOGRAPHIC_FILTERS.map((d) => ({
            name: d.name,
            text: d.text,
            items: [{ value: '', text: 'Everyone' }, ...vocabulary(d.values)].map((o) => ({
              ...o,
              selected: o.value === values[d.name],
            })),
          })),
          demographicsOpen: groupChosen.length > 0,
        },
        chosen: [
          values.hcpArea ? values.hcpArea : null,
          values.sourceType ? label(values.sourceType) : null,
          ...groupChosen.map((d) => `${d.text.toLowerCase()} ${label(values[d.name])}`),
        ].filter((s): s is string => !!s),
        notice: result?.notice ? groupCountsNotice(threshold) : null,
        exactGroupCounts: caller.rowLevelDemographics,
        suppressionApplied: result?.suppressionApplied ?? false,
        table,
        chart: table && table.rows.length ? JSON.stringify(chartData(table)) : null,
        chartThemes: table ? Math.min(6, table.rows.length) : 0,
      },
    };
  }
}
