import { Module } from '@nestjs/common';
import { ApiModule } from './api.module';
import { WorkersModule } from './workers.module';

/** `npm start`: api and worker in one process, for convenience on one machine. */
@Module({
  imports: [ApiModule, WorkersModule],
})
export class CombinedModule {}
