import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { parseChunkJob } from '../queues/job-payloads';
import { HandlesJobs } from '../queues/handles-jobs';
import { JOB_NAMES, QUEUE_NAMES } from '../queues/queue-names';
import { EnrichChunkService } from './enrich-chunk.service';

@Processor(QUEUE_NAMES.enrich)
@HandlesJobs(JOB_NAMES.enrichChunk)
export class EnrichProcessor extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger(EnrichProcessor.name);

  constructor(
    private readonly chunks: EnrichChunkService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.WORKER_CONCURRENCY;
  }

  async process(job: Job): Promise<void> {
    const { batchId, chunkNo } = parseChunkJob(job.data);
    await this.chunks.process(batchId, chunkNo);
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job) return;
    const { batchId, chunkNo } = parseChunkJob(job.data);
    this.logger.error(
      {
        batchId,
        chunkNo,
        errorName: error.name,
        errorCode: (error as { code?: string }).code,
        attempt: job.attemptsMade,
      },
      'Enrich job failed',
    );
    if (job.attemptsMade >= (job.opts.attempts ?? 1))
      await this.chunks.giveUp(batchId, chunkNo, 'job_failed');
  }
}
