import { Inject, Injectable, Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import type { SearchParamProblem } from './query/search-params';
import {
  csvLine,
  EXPORT_FORMATS,
  exportColumns,
  exportHeaders,
  exportValues,
  jsonRecord,
  type ExportFormat,
  type ExportLookups,
  type ExportRow,
} from './export-format';
import { InsightsQueryRepository } from './insights-query.repository';
import type { Actor } from '../access/actor';
import { queryAudit } from './query-audit';
import { SearchService } from './search.service';
import type { SqlWhere } from './sql-where';
import { xlsxStream } from './xlsx-stream';

/** Rows read from PostgreSQL per round trip while streaming an export. */
export const EXPORT_PAGE_SIZE = 5_000;

export interface ExportFile {
  stream: Readable;
  contentType: string;
  fileName: string;
  rows: number;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * Exports of any search, streamed from PostgreSQL page by page so memory stays flat. An export
 * the caller may make is audited (`insights.export`, with the query and format) before it streams.
 */
@Injectable()
export class InsightExportService {
  private readonly logger = new Logger(InsightExportService.name);
  private readonly maxRows: number;

  constructor(
    private readonly search: SearchService,
    private readonly insights: InsightsQueryRepository,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.maxRows = config.EXPORT_MAX_ROWS;
  }

  async export(query: Readonly<Record<string, unknown>>, caller: Actor): Promise<ExportFile> {
    if (!caller.canExport) {
      throw new DomainError('forbidden', `The ${caller.role} role cannot export insight`);
    }
    const { format: rawFormat, ...rest } = query;
    const problems: SearchParamProblem[] = [];
    let format: ExportFormat = 'csv';
    if (rawFormat !== undefined && rawFormat !== '') {
      if (
        typeof rawFormat === 'string' &&
        (EXPORT_FORMATS as readonly string[]).includes(rawFormat)
      ) {
        format = rawFormat as ExportFormat;
      } else {
        problems.push({
          parameter: 'format',
          message: `format must be one of: ${EXPORT_FORMATS.join(', ')}`,
        });
      }
    }
    const { where } = await this.search.resolve(rest, caller, problems, { selectsComments: true });
    const count = await this.insights.count(where);
    if (count > this.maxRows) {
      throw new DomainError(
        'payload_too_large',
        `This export would hold ${count} comments, more than the limit of ${this.maxRows} per export (EXPORT_MAX_ROWS). Narrow the search, for example by date or area, and export in parts.`,
        { count, limit: this.maxRows },
      );
    }
    await this.audit.record(caller, queryAudit('insights.export', query));

    const columns = exportColumns(caller.rowLevelDemographics);
    const headers = exportHeaders(columns);
    const lookups: ExportLookups = {
      themeName: (c) => this.search.themeName(c),
      districtName: (c) => this.search.districtName(c),
    };
    const rows = this.rows(where);
    const values = async function* () {
      for await (const row of rows) yield exportValues(row, columns, lookups);
    };
    const stamp = new Date().toISOString().slice(0, 10);
    const fileName = `insight-export-${stamp}.${format}`;
    let stream: Readable;
    switch (format) {
      case 'csv':
        stream = Readable.from(
          (async function* () {
            // A byte order mark makes Excel read the file as UTF-8.
            yield `\uFEFF${csvLine(headers)}`;
            for await (const v of values()) yield csvLine(v);
          })(),
        );
        break;
      case 'json':
        stream = Readable.from(
          (async function* () {
            yield '[';
            let first = true;
            for await (const v of values()) {
              yield `${first ? '\n' : ',\n'}${jsonRecord(headers, v)}`;
              first = false;
            }
            yield '\n]\n';
          })(),
        );
        break;
      case 'xlsx':
        stream = xlsxStream(headers, values(), (e) =>
          this.logger.error({ errorName: e.name }, 'Export failed while streaming'),
        );
        break;
    }
    return { stream, contentType: CONTENT_TYPES[format], fileName, rows: count };
  }

  private async *rows(where: SqlWhere): AsyncGenerator<ExportRow> {
    let after: string | null = null;
    for (;;) {
      const page = await this.insights.exportPage(where, after, EXPORT_PAGE_SIZE);
      yield* page;
      if (page.length < EXPORT_PAGE_SIZE) return;
      after = page[page.length - 1].id;
    }
  }
}
