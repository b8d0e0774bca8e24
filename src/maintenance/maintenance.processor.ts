import { Processor, WorkerHost } from '@nestjs/bullmq';
import {
  Inject,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { hostname } from 'node:os';
import { APP_CONFIG } from '../config/config';
import { OWNS_SCHEDULES } from '../queues/borrowed-workers.module';
import type { AppConfig } from '../config/env.schema';
import { HandlesJobs } from '../queues/handles-jobs';
import { parsePayload } from '../queues/job-payloads';
import { PipelineQueues } from '../queues/pipeline-queues';
import { JOB_NAMES, QUEUE_NAMES } from '../queues/queue-names';
import type { RetentionReport } from '../retention/retention-schedule';
import { RetentionService } from '../retention/retention.service';
import { RetagService, parseRetagPayload, type RetagReport } from '../taxonomy/retag.service';
import { parseRetrainPayload, type RetrainReport } from '../taxonomy/retrain-schedule';
import { ScheduledRetrainService } from '../taxonomy/scheduled-retrain.service';
import { SweeperService, type SweepReport } from './sweeper.service';

export interface HeartbeatResult {
  host: string;
  pid: number;
  at: string;
}

/**
 * Housekeeping: `sweep` re-enqueues lost work (at start and every minute); `heartbeat` proves a
 * worker is taking jobs; `retag-themes` follows a taxonomy change; `retrain-tagger` comes from the
 * optional retrain schedule; `retention-expire` deletes batches past their retention date (daily).
 */
@Processor(QUEUE_NAMES.maintenance)
@HandlesJobs(
  JOB_NAMES.heartbeat,
  JOB_NAMES.sweep,
  JOB_NAMES.retag,
  JOB_NAMES.retrain,
  JOB_NAMES.retention,
)
export class MaintenanceProcessor
  extends WorkerHost
  implements OnApplicationBootstrap, OnModuleDestroy
{
  private timer?: NodeJS.Timeout;
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sweeper: SweeperService,
    private readonly queues: PipelineQueues,
    private readonly retag: RetagService,
    private readonly retrain: ScheduledRetrainService,
    private readonly retention: RetentionService,
    @Optional() @Inject(OWNS_SCHEDULES) private readonly ownsSchedules: boolean = true,
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
    const request = (sweep: Promise<void>) =>
      sweep.catch((e: unknown) =>
        this.logger.warn(`Could not request a sweep (${(e as Error).name}); will try again`),
      );
    await request(this.queues.requestStartSweep());
    this.timer = setInterval(() => void request(this.queues.requestIntervalSweep(every)), every);
    this.timer.unref();
    if (!this.ownsSchedules) return; // a CLI command's workers leave the schedules alone
    // The retrain schedule does live in Redis (a job scheduler), so one job is made per interval
    // however many workers run; each worker puts it in step with its configuration at start.
    await this.retrain
      .syncSchedule()
      .catch((e: unknown) =>
        this.logger.warn(
          `Could not update the tagger retrain schedule (${(e as Error).name}); it applies at the next start`,
        ),
      );
    // Retention is kept the same way: one job scheduler in Redis, in step with RETENTION_SWEEP_INTERVAL_HOURS.
    await this.retention
      .syncSchedule()
      .catch((e: unknown) =>
        this.logger.warn(
          `Could not update the retention schedule (${(e as Error).name}); it applies at the next start`,
        ),
      );
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  process(
    job: Job,
  ): Promise<HeartbeatResult | SweepReport | RetagReport | RetrainReport | RetentionReport> {
    switch (job.name) {
      case JOB_NAMES.heartbeat:
        return Promise.resolve({
          host: hostname(),
          pid: process.pid,
          at: new Date().toISOString(),
        });
      case JOB_NAMES.sweep:
        return this.sweeper.sweep();
      case JOB_NAMES.retag:
        return this.retagJob(job.data);
      case JOB_NAMES.retrain:
        return this.retrainJob(job.data);
      case JOB_NAMES.retention:
        return this.retentionJob();
      default:
        this.logger.warn(`Unknown maintenance job ${job.name}`);
        throw new UnrecoverableError(`Unknown maintenance job ${job.name}`);
    }
  }

  private retagJob(data: unknown): Promise<RetagReport> {
    return this.retag.run(parsePayload(parseRetagPayload, data));
  }

  private retrainJob(data: unknown): Promise<RetrainReport> {
    return this.retrain.run(parsePayload(parseRetrainPayload, data));
  }

  /** A batch that could not be deleted fails the job, so it is retried (deleting is idempotent). */
  private async retentionJob(): Promise<RetentionReport> {
    const report = await this.retention.expire();
    if (report.failed.length)
      throw new Error(
        `Retention: ${report.failed.length} batch(es) could not be deleted (${report.failed.map((f) => f.id).join(', ')})`,
      );
    return report;
  }
}
