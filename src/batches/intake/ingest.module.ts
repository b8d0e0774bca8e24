import { Module } from '@nestjs/common';
import { BatchesModule } from '../batches.module';
import { IngestService } from './ingest.service';

@Module({ imports: [BatchesModule], providers: [IngestService], exports: [IngestService] })
export class IngestModule {}
