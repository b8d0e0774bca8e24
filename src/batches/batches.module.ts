import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { diskStorage } from 'multer';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { InsightsModule } from '../insights/insights.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { BatchLifecycleService } from './batch-lifecycle.service';
import { BatchesController } from './batches.controller';
import { BatchesRepository } from './batches.repository';
import { BatchesService } from './batches.service';
import { FileStore } from './file-store';

@Module({
  imports: [
    InsightsModule,
    OrganisationsModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const store = new FileStore(config);
        return {
          storage: diskStorage({
            destination: (_req, _file, cb) => cb(null, store.incomingDir()),
            filename: (_req, _file, cb) => cb(null, `${randomUUID()}.upload`),
          }),
          limits: { fileSize: config.UPLOAD_MAX_BYTES, files: 1, fields: 50, fieldSize: 64 * 1024 },
        };
      },
    }),
  ],
  controllers: [BatchesController],
  providers: [BatchesRepository, BatchesService, BatchLifecycleService, FileStore],
  // MulterModule: the upload page takes files exactly as the API does (same folder and limits).
  exports: [BatchesRepository, BatchesService, BatchLifecycleService, FileStore, MulterModule],
})
export class BatchesModule {}
