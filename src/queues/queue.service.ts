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

  /**
   * Adds a job with a deterministic id even when a finished job with that id is still kept
   * (BullMQ would otherwise ignore the add). A job that is waiting or running is left alone.
   */
  async addFresh(
    name: QueueName,
    jobName: string,
    data: Record<string, unknown>,
    opts: JobsOptions & { jobId: string },
  ): Promise<boolean> {
    const queue = this.queues[name];
    const existing = await queue.getJob(opts.jobId);
    if (existing) {
      const state = await existing.getState();
      if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return false;
      await existing.remove().catch(() => undefined);
    }
    await queue.add(jobName, data, opts);
    return true;
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
}
