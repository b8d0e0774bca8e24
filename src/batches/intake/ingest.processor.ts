import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnModuleInit } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { BatchLifecycleService } from '../batch-lifecycle.service';
import { APP_CONFIG } from '../../config/config';
import type { AppConfig } from '../../config/env.schema';
import { HandlesJobs } from '../../queues/handles-jobs';
import { JOB_NAMES, QUEUE_NAMES } from '../../queues/queue-names';
import { WorkerShutdown } from '../../queues/worker-shutdown.service';
import { IngestService, ShutdownRequested } from './ingest.service';
import { parseBatchJob } from '../../queues/job-payloads';

@Processor(QUEUE_NAMES.ingest)
@HandlesJobs(JOB_NAMES.ingestBatch)
export class IngestProcessor extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger(IngestProcessor.name);

  constructor(
    private readonly ingest: IngestService,
    private readonly lifecycle: BatchLifecycleService,
    private readonly shutdown: WorkerShutdown,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.WORKER_CONCURRENCY;
  }

  async process(job: Job, token?: string): Promise<void> {
    const { batchId } = parseBatchJob(job.data);
    try {
      await this.ingest.ingest(batchId, this.shutdown.signal);
    } catch (e) {
      if (e instanceof ShutdownRequested) {
        // Hand the job back: another worker (or this one after a restart) parses the file again from the start.
        await job.moveToDelayed(Date.now() + 1000, token);
        throw new DelayedError();
      }
      throw e;
    }
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job) return;
    this.logger.error(
      {
        batchId: (job.data as { batchId?: string }).batchId,
        errorName: error.name,
        attempt: job.attemptsMade,
      },
      'Ingest job failed',
    );
    if (job.attemptsMade >= (job.opts.attempts ?? 1)) {
      const { batchId } = parseBatchJob(job.data);
      await this.lifecycle.fail(
        batchId,
        `Processing failed after ${job.attemptsMade} attempts (${error.name}); the logs have details.`,
        'processing_failed',
      );
    }
  }
}
