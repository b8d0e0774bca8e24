import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AuditModule } from './audit/audit.module';
import { loggerParams } from './common/logger';
import { APP_CONFIG } from './config/config';
import { AppConfigModule } from './config/config.module';
import type { AppConfig } from './config/env.schema';
import { DatabaseModule } from './database/database.module';
import { QueuesModule } from './queues/queues.module';
import { ReferenceDataModule } from './reference/reference-data.module';
import { MeiliModule } from './search/meili/meili.module';

/** What both processes need: configuration, logs, PostgreSQL, Redis queues and Meilisearch. */
@Module({
  imports: [
    AppConfigModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => loggerParams(config),
    }),
    DatabaseModule,
    QueuesModule,
    MeiliModule,
    ReferenceDataModule,
    AuditModule,
  ],
})
export class CoreModule {}
