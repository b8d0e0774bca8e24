import { Module } from '@nestjs/common';
import { BatchesModule } from '../../batches/batches.module';
import { TaggingModule } from '../../enrichment/tagging/tagging.module';
import { IndexingService } from './indexing.service';
import { OutboxRepository } from './outbox.repository';
import { SearchIndexService } from './search-index.service';
import { ThemeLookupService } from './theme-lookup.service';

@Module({
  imports: [BatchesModule, TaggingModule],
  providers: [IndexingService, OutboxRepository, SearchIndexService, ThemeLookupService],
  exports: [IndexingService, OutboxRepository, SearchIndexService, ThemeLookupService],
})
export class IndexingModule {}
