import { Module } from '@nestjs/common';
import { BatchesModule } from '../batches/batches.module';
import { RetentionController } from './retention.controller';
import { RetentionRepository } from './retention.repository';
import { RetentionService } from './retention.service';

/** Deleting batches on request and at the end of their retention period. */
@Module({
  imports: [BatchesModule],
  controllers: [RetentionController],
  providers: [RetentionRepository, RetentionService],
  exports: [RetentionService],
})
export class RetentionModule {}
