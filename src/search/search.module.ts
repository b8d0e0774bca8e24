import { Module } from '@nestjs/common';
import { IndexingModule } from './indexing/indexing.module';
import { InsightExportService } from './insight-export.service';
import { InsightReportsService } from './insight-reports.service';
import { InsightsQueryRepository } from './insights-query.repository';
import { SearchAdminService } from './maintenance/search-admin.service';
import { SearchController } from './search.controller';
import { SearchService } from './search.service';

/** The search API (search, detail, trends, summary, export) and index maintenance. */
@Module({
  imports: [IndexingModule],
  controllers: [SearchController],
  providers: [
    SearchService,
    InsightReportsService,
    InsightExportService,
    InsightsQueryRepository,
    SearchAdminService,
  ],
  exports: [SearchService, SearchAdminService, InsightReportsService],
})
export class SearchModule {}
