import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { QUEUE_NAMES, type QueueName } from './queue-names';

/** Enqueues jobs by queue name; payloads carry ids only, never feedback text. */
@Injectable()
export class QueueService {
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @InjectQueue(QUEUE_NAMES.ingest) ingest: Queue,
    @InjectQueue(QUEUE_NAMES.enrich) enrich: Queue,
    @InjectQueue(QUEUE_NAMES.index) index: Queue,
    @InjectQueue(QUEUE_NAMES.maintenance) maintenance: Queue,
  ) {
    this.queues = { ingest, enrich, index, maintenance };
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  async add(
    name: QueueName,
    jobName: string,
    data: Record<string, unknown>,
    opts: JobsOptions,
  ): Promise<void> {
    await this.queues[name].add(jobName, data, opts);
  }

  /** Counts of waiting/active/delayed jobs on every queue (for status pages and tests). */
  async counts(): Promise<Record<QueueName, Record<string, number>>> {
    const entries = await Promise.all(
      (Object.keys(this.queues) as QueueName[]).map(
        async (n) =>
          [
            n,
            await this.queues[n].getJobCounts(
              'waiting',
              'active',
              'delayed',
              'failed',
              'prioritized',
            ),
          ] as const,
      ),
    );
    return Object.fromEntries(entries) as Record<QueueName, Record<string, number>>;
  }

  async isIdle(): Promise<boolean> {
    const counts = await this.counts();
    return Object.values(counts).every(
      (c) => !c.waiting && !c.active && !c.delayed && !c.prioritized,
    );
  }
}
