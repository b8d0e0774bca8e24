import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { hostname } from 'node:os';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { MAINTENANCE_JOB_OPTIONS, QUEUE_NAMES } from '../queues/queue-names';
import { QueueService } from '../queues/queue.service';
import {
  RETAG_JOB,
  RetagService,
  parseRetagPayload,
  type RetagReport,
} from '../taxonomy/retag.service';
import { SweeperService, type SweepReport } from './sweeper.service';

export const MAINTENANCE_JOBS = {
  heartbeat: 'heartbeat',
  sweep: 'sweep',
  retag: RETAG_JOB,
} as const;

export interface HeartbeatResult {
  host: string;
  pid: number;
  at: string;
}

/** Housekeeping: `sweep` re-enqueues lost work (at start and every minute); `heartbeat` proves a worker is taking jobs. */
@Processor(QUEUE_NAMES.maintenance)
export class MaintenanceProcessor
  extends WorkerHost
  implements OnApplicationBootstrap, OnModuleDestroy
{
  private timer?: NodeJS.Timeout;
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sweeper: SweeperService,
    private readonly queues: QueueService,
    private readonly retag: RetagService,
  ) {
    super();
  }

  /**
   * A timer in the worker, not a schedule kept in Redis, asks for sweeps: it survives a Redis flush.
   * Job ids per interval mean several workers still sweep once per interval between them.
   */
  async onApplicationBootstrap(): Promise<void> {
    this.worker.concurrency = this.config.WORKER_CONCURRENCY;
    const every = this.config.SWEEP_INTERVAL_MS;
    const request = (id: string) =>
      this.queues
        .queue(QUEUE_NAMES.maintenance)
        .add(MAINTENANCE_JOBS.sweep, {}, { ...MAINTENANCE_JOB_OPTIONS, jobId: id })
        .catch((e: unknown) =>
          this.logger.warn(`Could not request a sweep (${(e as Error).name}); will try again`),
        );
    await request(`sweep.start.${hostname()}.${process.pid}.${Date.now()}`);
    this.timer = setInterval(() => void request(`sweep.${Math.floor(Date.now() / every)}`), every);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  process(job: Job): Promise<HeartbeatResult | SweepReport | RetagReport> {
    switch (job.name) {
      case MAINTENANCE_JOBS.heartbeat:
        return Promise.resolve({
          host: hostname(),
          pid: process.pid,
          at: new Date().toISOString(),
        });
      case MAINTENANCE_JOBS.sweep:
        return this.sweeper.sweep();
      case MAINTENANCE_JOBS.retag:
        return this.retagJob(job.data);
      default:
        this.logger.warn(`Unknown maintenance job ${job.name}`);
        throw new UnrecoverableError(`Unknown maintenance job ${job.name}`);
    }
  }

  private retagJob(data: unknown): Promise<RetagReport> {
    let payload;
    try {
      payload = parseRetagPayload(data);
    } catch (e) {
      throw new UnrecoverableError((e as Error).message);
    }
    return this.retag.run(payload);
  }
}
