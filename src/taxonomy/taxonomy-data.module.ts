import { Module } from '@nestjs/common';
import { InsightTagsRepository } from './insight-tags.repository';
import { TaggerModelsRepository } from './tagger-models.repository';
import { ThemesRepository } from './themes.repository';

/** Data access for themes, models and tag events; below tagging so nothing imports in a circle. */
@Module({
  providers: [ThemesRepository, TaggerModelsRepository, InsightTagsRepository],
  exports: [ThemesRepository, TaggerModelsRepository, InsightTagsRepository],
})
export class TaxonomyDataModule {}
