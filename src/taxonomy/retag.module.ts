import { Module } from '@nestjs/common';
import { TaggingModule } from '../enrichment/tagging/tagging.module';
import { RetagService } from './retag.service';
import { TaxonomyDataModule } from './taxonomy-data.module';

/** The background re-tag, on its own so the worker can run it without the HTTP controllers. */
@Module({
  imports: [TaxonomyDataModule, TaggingModule],
  providers: [RetagService],
  exports: [RetagService],
})
export class RetagModule {}
