import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { JobSchedulerTemplateOptions, JobsOptions, Queue } from 'bullmq';
import { hostname } from 'node:os';
import {
  ENRICH_JOB_OPTIONS,
  INDEX_JOB_OPTIONS,
  INGEST_JOB_OPTIONS,
  JOB_NAMES,
  jobId,
  MAINTENANCE_JOB_OPTIONS,
  QUEUE_NAMES,
  type JobName,
  type QueueName,
} from './queue-names';

/**
 * Every plain drain shares one deduplication id: a drain empties the whole outbox, whoever asked.
 * BullMQ then keeps at most one waiting and one running: a request while one waits joins it, and
 * a request while one runs is kept and run after it (`keepLastIfActive`), so rows committed after
 * the running drain last looked are never left for the sweeper.
 */
const DRAIN_DEDUPLICATION_ID = jobId('index', 'drain');

/** A job scheduler kept in Redis on the maintenance queue (one per id, whatever the workers). */
export interface MaintenanceSchedule {
  id: string;
  job: JobName;
  everyMs: number;
  data: Record<string, unknown>;
  opts: JobSchedulerTemplateOptions;
}

/**
 * The one way work is put on the queues. Each kind of job has its own method, job name and
 * deterministic id (or deduplication id), so every producer asks for the same job the same way and
 * a repeated request never duplicates work. Payloads carry ids only, never feedback text.
 */
@Injectable()
export class PipelineQueues {
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @InjectQueue(QUEUE_NAMES.ingest) ingest: Queue,
    @InjectQueue(QUEUE_NAMES.enrich) enrich: Queue,
    @InjectQueue(QUEUE_NAMES.index) index: Queue,
    @InjectQueue(QUEUE_NAMES.maintenance) maintenance: Queue,
  ) {
    this.queues = { ingest, enrich, index, maintenance };
  }

  /** A queue to look at (jobs, counts, schedulers) in status pages and tests; enqueue through the methods below. */
  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  /** Parse a stored upload. False: its job is already waiting or running. */
  requestIngest(batchId: string): Promise<boolean> {
    return this.addFresh(
      QUEUE_NAMES.ingest,
      JOB_NAMES.ingestBatch,
      { batchId },
      { ...INGEST_JOB_OPTIONS, jobId: jobId('ingest', batchId) },
    );
  }

  /** Enrich and store one parsed chunk. False: its job is already waiting or running. */
  requestEnrich(batchId: string, chunkNo: number): Promise<boolean> {
    return this.addFresh(
      QUEUE_NAMES.enrich,
      JOB_NAMES.enrichChunk,
      { batchId, chunkNo },
      { ...ENRICH_JOB_OPTIONS, jobId: jobId('enrich', batchId, chunkNo) },
    );
  }

  /**
   * Drain the index outbox after rows were committed to it. A drain waiting out a retry's backoff
   * (Meilisearch was down) is run now: something new is waiting, and Meilisearch may be back.
   * True when a new drain was queued, false when the request joined one waiting or running.
   */
  async requestDrain(): Promise<boolean> {
    const joined = await this.addDrain();
    if (!joined) return true;
    const existing = await this.queues.index.getJob(joined);
    if (existing && (await existing.isDelayed())) await existing.promote().catch(() => undefined);
    return false;
  }

  /**
   * Drain the index outbox unless a drain is waiting, running or backing off already: the
   * sweeper's request, which must not cut short the backoff of a drain failing against an outage.
   */
  async requestDrainIfIdle(): Promise<boolean> {
    return (await this.addDrain()) === undefined;
  }

  /**
   * Index only whole Meilisearch tasks while batches are still being enriched. One such job waits
   * or runs at a time for all batches (the outbox is shared); a request that finds one leaves it be.
   */
  requestEarlyDrain(): Promise<boolean> {
    return this.addFresh(
      QUEUE_NAMES.index,
      JOB_NAMES.drainFull,
      {},
      { ...INDEX_JOB_OPTIONS, jobId: jobId('index', 'full-tasks') },
    );
  }

  /** Re-tag every insight after the taxonomy reached `version`; one job per version. */
  requestRetag(version: number): Promise<boolean> {
    return this.addFresh(
      QUEUE_NAMES.maintenance,
      JOB_NAMES.retag,
      { version },
      { ...MAINTENANCE_JOB_OPTIONS, jobId: jobId('retag', version) },
    );
  }

  /** The sweep every worker asks for as it starts, whatever other workers swept lately. */
  async requestStartSweep(): Promise<void> {
    await this.addSweep(jobId('sweep', 'start', hostname(), process.pid, Date.now()));
  }

  /** One sweep per interval of `everyMs`, however many workers ask for it. */
  async requestIntervalSweep(everyMs: number): Promise<void> {
    await this.addSweep(jobId('sweep', Math.floor(Date.now() / everyMs)));
  }

  /**
   * Puts a job scheduler in step with the configuration. Upserting an unchanged schedule keeps its
   * next run, so restarts do not bring runs forward.
   */
  async schedule(s: MaintenanceSchedule): Promise<void> {
    await this.queues.maintenance.upsertJobScheduler(
      s.id,
      { every: s.everyMs },
      { name: s.job, data: s.data, opts: s.opts },
    );
  }

  /** Removes a job scheduler; false when there was none. */
  unschedule(id: string): Promise<boolean> {
    return this.queues.maintenance.removeJobScheduler(id);
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

  /** The id of the drain this request joined, or undefined when it queued a new one. */
  private async addDrain(): Promise<string | undefined> {
    const queue = this.queues.index;
    const before = await queue.getDeduplicationJobId(DRAIN_DEDUPLICATION_ID);
    const job = await queue.add(
      JOB_NAMES.drain,
      {},
      {
        ...INDEX_JOB_OPTIONS,
        deduplication: { id: DRAIN_DEDUPLICATION_ID, keepLastIfActive: true },
      },
    );
    return before !== null && job.id === before ? before : undefined;
  }

  private async addSweep(id: string): Promise<void> {
    await this.queues.maintenance.add(
      JOB_NAMES.sweep,
      {},
      { ...MAINTENANCE_JOB_OPTIONS, jobId: id },
    );
  }

  /**
   * Adds a job with a deterministic id even when a finished job with that id is still kept
   * (BullMQ would otherwise ignore the add). A job that is waiting or running is left alone.
   */
  private async addFresh(
    name: QueueName,
    job: JobName,
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
    await queue.add(job, data, opts);
    return true;
  }
}
