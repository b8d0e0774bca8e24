import { Module } from '@nestjs/common';
import { CoreModule } from './core.module';
import { HealthModule } from './health/health.module';

/** The HTTP API process. */
@Module({
  imports: [CoreModule, HealthModule],
})
export class ApiModule {}
