import { Module } from '@nestjs/common';
import { CoreModule } from './core.module';
import { WorkersModule } from './workers.module';

/** The worker process: BullMQ processors only, no HTTP. */
@Module({
  imports: [CoreModule, WorkersModule],
})
export class WorkerModule {}
