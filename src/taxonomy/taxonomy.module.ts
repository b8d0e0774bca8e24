import { Module } from '@nestjs/common';
import { TaggingModule } from '../tagging/tagging.module';
import { InsightReviewController } from './insight-review.controller';
import { InsightReviewService } from './insight-review.service';
import { RetagModule } from './retag.module';
import { TaggerTrainingService } from './tagger-training.service';
import { TaxonomyController } from './taxonomy.controller';
import { TaxonomyDataModule } from './taxonomy-data.module';
import { TaxonomyService } from './taxonomy.service';

/** Editing the taxonomy, reviewing insights' tags, and training theme models. */
@Module({
  imports: [TaxonomyDataModule, TaggingModule, RetagModule],
  controllers: [TaxonomyController, InsightReviewController],
  providers: [TaxonomyService, InsightReviewService, TaggerTrainingService],
  exports: [TaxonomyService, InsightReviewService, TaggerTrainingService],
})
export class TaxonomyModule {}
