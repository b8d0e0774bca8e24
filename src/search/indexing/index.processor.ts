import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { HandlesJobs } from '../../queues/handles-jobs';
import { JOB_NAMES, QUEUE_NAMES } from '../../queues/queue-names';
import { IndexingService, type DrainResult } from './indexing.service';

/** One index job drains the whole outbox; several can run at once (entries are claimed with SKIP LOCKED). */
@Processor(QUEUE_NAMES.index, { concurrency: 1 })
@HandlesJobs(JOB_NAMES.drain, JOB_NAMES.drainFull)
export class IndexProcessor extends WorkerHost {
  constructor(private readonly indexing: IndexingService) {
    super();
  }

  process(job: Job): Promise<DrainResult> {
    return this.indexing.drain(Number.POSITIVE_INFINITY, {
      fullTasksOnly: job.name === JOB_NAMES.drainFull,
    });
  }
}
