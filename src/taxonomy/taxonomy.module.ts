import { Module } from '@nestjs/common';
import { SearchModule } from '../search/search.module';
import { TaggingModule } from '../enrichment/tagging/tagging.module';
import { InsightReviewController } from './insight-review.controller';
import { InsightReviewService } from './insight-review.service';
import { RetagModule } from './retag.module';
import { RetrainModule } from './retrain.module';
import { TaxonomyController } from './taxonomy.controller';
import { TaxonomyDataModule } from './taxonomy-data.module';
import { TaxonomyService } from './taxonomy.service';

/** Editing the taxonomy, reviewing insights' tags, and training theme models. */
@Module({
  imports: [TaxonomyDataModule, TaggingModule, RetagModule, RetrainModule, SearchModule],
  controllers: [TaxonomyController, InsightReviewController],
  providers: [TaxonomyService, InsightReviewService],
  exports: [TaxonomyService, InsightReviewService, RetrainModule],
})
export class TaxonomyModule {}
