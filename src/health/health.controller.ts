import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { PublicRoute } from '../access/access.decorators';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { ServiceHealthIndicators } from './health.indicators';

@ApiTags('health')
@PublicRoute()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: ServiceHealthIndicators,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({
    summary: 'PostgreSQL, Redis and Meilisearch, each up or down; 503 when any is down',
  })
  check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.indicators.postgres(),
      () => this.indicators.redisCheck(),
      () => this.indicators.meilisearch(),
    ]);
  }
}
