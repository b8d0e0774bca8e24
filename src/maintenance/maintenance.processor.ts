import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnModuleInit } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { hostname } from 'node:os';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { QUEUE_NAMES } from '../queues/queue-names';

export const MAINTENANCE_JOBS = { heartbeat: 'heartbeat' } as const;

export interface HeartbeatResult {
  host: string;
  pid: number;
  at: string;
}

/** Housekeeping jobs. `heartbeat` proves a worker is taking jobs (used by `insight-bank doctor`). */
@Processor(QUEUE_NAMES.maintenance)
export class MaintenanceProcessor extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.WORKER_CONCURRENCY;
  }

  process(job: Job): Promise<HeartbeatResult> {
    switch (job.name) {
      case MAINTENANCE_JOBS.heartbeat:
        return Promise.resolve({
          host: hostname(),
          pid: process.pid,
          at: new Date().toISOString(),
        });
      default:
        this.logger.warn(`Unknown maintenance job ${job.name}`);
        throw new UnrecoverableError(`Unknown maintenance job ${job.name}`);
    }
  }
}
