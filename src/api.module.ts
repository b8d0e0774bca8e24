import { Module } from '@nestjs/common';
import { BatchesModule } from './batches/batches.module';
import { CoreModule } from './core.module';
import { HealthModule } from './health/health.module';

/** The HTTP API process. */
@Module({
  imports: [CoreModule, HealthModule, BatchesModule],
})
export class ApiModule {}
