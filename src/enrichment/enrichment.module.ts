import { Module } from '@nestjs/common';
import { BatchesModule } from '../batches/batches.module';
import { InsightsModule } from '../insights/insights.module';
import { PlacesModule } from '../reference/places/places.module';
import { TaggingModule } from './tagging/tagging.module';
import { CommentEnricher } from './comment-enricher.service';
import { EnrichChunkService } from './enrich-chunk.service';
import { PlaceLookupService } from './place-lookup.service';

@Module({
  imports: [BatchesModule, InsightsModule, PlacesModule, TaggingModule],
  providers: [CommentEnricher, EnrichChunkService, PlaceLookupService],
  exports: [CommentEnricher, EnrichChunkService],
})
export class EnrichmentModule {}
