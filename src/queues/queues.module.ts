import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { ALL_QUEUES } from './queue-names';
import { bullConnectionOptions } from './redis-options';
import { PipelineQueues } from './pipeline-queues';
import { WorkerShutdown } from './worker-shutdown.service';

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        connection: bullConnectionOptions(config.REDIS_URL),
        prefix: config.QUEUE_PREFIX,
      }),
    }),
    BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
  ],
  providers: [PipelineQueues, WorkerShutdown],
  exports: [BullModule, PipelineQueues, WorkerShutdown],
})
export class QueuesModule {}
