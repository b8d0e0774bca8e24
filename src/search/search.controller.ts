import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InsightExportService } from './insight-export.service';
import { InsightReportsService } from './insight-reports.service';
import { FILTER_FIELD_NAMES } from './query/filter-builder';
import { CurrentActor, type Actor } from '../access/actor';
import { RequirePermission } from '../access/access.decorators';
import { SearchService } from './search.service';
import { InsightDto, SearchResponseDto } from './dto/search-response.dto';
import { SummaryResponseDto, TrendsResponseDto } from './dto/report-response.dto';
import { uuidParam } from '../common/uuid-param';

const uuid = uuidParam('Insight was not found (ids are UUIDs)');

const FILTERS_NOTE = `Filters (each takes one value or a comma list): ${FILTER_FIELD_NAMES.join(', ')}; dateFrom and dateTo (yyyy-mm-dd, inclusive). Unknown or malformed parameters, and values outside a closed list (including partnership areas and district codes), get 400 naming them.`;

/** Query parameters are checked by parseSearchParams, which reports every bad one by name. */
type QueryParams = Record<string, unknown>;

@ApiTags('insights')
@Controller('api/v1/insights')
export class SearchController {
  constructor(
    private readonly search: SearchService,
    private readonly reports: InsightReportsService,
    private readonly exports: InsightExportService,
  ) {}

  @Get('search')
  @RequirePermission('insights.read')
  @ApiOperation({
    summary: 'Search comments: text, filters, facet counts, highlights',
    description: FILTERS_NOTE,
  })
  @ApiQuery({ name: 'q', required: false })
  @ApiQuery({ name: 'facets', required: false, description: 'comma list of filter names to count' })
  @ApiQuery({ name: 'sort', required: false, enum: ['relevance', 'newest', 'oldest'] })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'pageSize', required: false, description: '1 to 100 (default 20)' })
  @ApiResponse({ status: 200, type: SearchResponseDto })
  find(@Query() query: QueryParams, @CurrentActor() actor: Actor): Promise<SearchResponseDto> {
    return this.search.search(query, actor);
  }

  @Get('trends')
  @RequirePermission('insights.read')
  @ApiOperation({
    summary: 'Comments per period and theme for any search',
    description: FILTERS_NOTE,
  })
  @ApiQuery({ name: 'interval', required: false, enum: ['week', 'month', 'quarter'] })
  @ApiQuery({ name: 'by', required: false, enum: ['theme'] })
  @ApiQuery({ name: 'split', required: false, enum: ['hcpArea', 'sourceType'] })
  @ApiResponse({ status: 200, type: TrendsResponseDto })
  trends(@Query() query: QueryParams, @CurrentActor() actor: Actor): Promise<TrendsResponseDto> {
    return this.reports.trends(query, actor);
  }

  @Get('summary')
  @RequirePermission('insights.read')
  @ApiOperation({
    summary: 'Count, organisations, source types, dates, top themes and sentiment of any search',
    description: FILTERS_NOTE,
  })
  @ApiResponse({ status: 200, type: SummaryResponseDto })
  summary(@Query() query: QueryParams, @CurrentActor() actor: Actor): Promise<SummaryResponseDto> {
    return this.reports.summary(query, actor);
  }

  @Get('export')
  @RequirePermission('insights.export')
  @ApiOperation({
    summary: 'Download the comments of any search (CSV, XLSX or JSON)',
    description: FILTERS_NOTE,
  })
  @ApiQuery({ name: 'format', required: false, enum: ['csv', 'xlsx', 'json'] })
  @ApiProduces(
    'text/csv',
    'application/json',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  )
  @ApiResponse({
    status: 413,
    description: 'More rows than EXPORT_MAX_ROWS; the message names both numbers',
  })
  async export(@Query() query: QueryParams, @CurrentActor() actor: Actor): Promise<StreamableFile> {
    const file = await this.exports.export(query, actor);
    return new StreamableFile(file.stream, {
      type: file.contentType,
      disposition: `attachment; filename="${file.fileName}"`,
    });
  }

  @Get(':id')
  @RequirePermission('insights.read')
  @ApiOperation({ summary: 'One comment, from PostgreSQL' })
  @ApiResponse({ status: 200, type: InsightDto })
  @ApiResponse({ status: 404, description: 'No such comment, or not visible to this role' })
  get(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<InsightDto> {
    return this.search.view(id, actor);
  }
}
