import { Module } from '@nestjs/common';
import { TaxonomyDataModule } from '../../taxonomy/taxonomy-data.module';
import { TaggingService } from './tagging.service';

@Module({
  imports: [TaxonomyDataModule],
  providers: [TaggingService],
  exports: [TaggingService],
})
export class TaggingModule {}
