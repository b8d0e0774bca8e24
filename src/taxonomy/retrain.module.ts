import { Module } from '@nestjs/common';
import { TaggingModule } from '../enrichment/tagging/tagging.module';
import { ScheduledRetrainService } from './scheduled-retrain.service';
import { TaggerTrainingService } from './tagger-training.service';
import { TaxonomyDataModule } from './taxonomy-data.module';

/** Training theme models, on demand (CLI) and on the optional schedule the worker runs. */
@Module({
  imports: [TaxonomyDataModule, TaggingModule],
  providers: [TaggerTrainingService, ScheduledRetrainService],
  exports: [TaggerTrainingService, ScheduledRetrainService],
})
export class RetrainModule {}
