import { Module } from '@nestjs/common';
import { MaintenanceModule } from './maintenance/maintenance.module';

/** Every BullMQ processor. Each queue must have exactly one; start-up checks it. */
@Module({
  imports: [MaintenanceModule],
})
export class WorkersModule {}
