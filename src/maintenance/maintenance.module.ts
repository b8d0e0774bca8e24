import { Module } from '@nestjs/common';
import { BatchesModule } from '../batches/batches.module';
import { EnrichmentModule } from '../enrichment/enrichment.module';
import { RetentionModule } from '../retention/retention.module';
import { IndexingModule } from '../search/indexing/indexing.module';
import { RetagModule } from '../taxonomy/retag.module';
import { RetrainModule } from '../taxonomy/retrain.module';
import { MaintenanceProcessor } from './maintenance.processor';
import { SweeperService } from './sweeper.service';

@Module({
  imports: [
    BatchesModule,
    EnrichmentModule,
    IndexingModule,
    RetagModule,
    RetrainModule,
    RetentionModule,
  ],
  providers: [MaintenanceProcessor, SweeperService],
  exports: [SweeperService],
})
export class MaintenanceModule {}
