import type { JobSchedulerTemplateOptions, JobsOptions } from 'bullmq';

export const QUEUE_NAMES = {
  ingest: 'ingest',
  enrich: 'enrich',
  index: 'index',
  maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];
export const ALL_QUEUES: readonly QueueName[] = Object.values(QUEUE_NAMES);

/** Parsing a whole file: few attempts, long backoff; the sweeper re-enqueues anything lost. */
export const INGEST_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** One chunk of rows: idempotent, so retrying is always safe. */
export const ENRICH_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** Draining the index outbox: Meilisearch may be down for a while, so keep retrying with backoff. */
export const INDEX_JOB_OPTIONS: JobsOptions = {
  attempts: 20,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export const MAINTENANCE_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 3600, count: 100 },
  removeOnFail: { age: 24 * 3600 },
};

/**
 * A scheduled model retrain (a job scheduler's template, so no job id): one retry covers a brief
 * outage, and the next interval covers a longer one.
 */
export const RETRAIN_JOB_OPTIONS: JobSchedulerTemplateOptions = {
  attempts: 2,
  backoff: { type: 'exponential', delay: 60_000 },
  removeOnComplete: { age: 30 * 24 * 3600, count: 100 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/**
 * Every job the bank enqueues, by name: the one list producers (through PipelineQueues) and
 * processors (through @HandlesJobs) both use. `drain-outbox` empties the index outbox;
 * `drain-outbox-full` writes only whole Meilisearch tasks (INDEX_BATCH_SIZE documents) and leaves
 * a remainder for the next job, so comments are indexed while their batch is still being enriched
 * without many small tasks.
 */
export const JOB_NAMES = {
  ingestBatch: 'ingest-batch',
  enrichChunk: 'enrich-chunk',
  drain: 'drain-outbox',
  drainFull: 'drain-outbox-full',
  heartbeat: 'heartbeat',
  sweep: 'sweep',
  retag: 'retag-themes',
  retrain: 'retrain-tagger',
  retention: 'retention-expire',
} as const;
export type JobName = (typeof JOB_NAMES)[keyof typeof JOB_NAMES];

/** Which queue carries each job; the start-up check holds every queue's processor to its list. */
export const QUEUE_JOBS: Record<QueueName, readonly JobName[]> = {
  ingest: [JOB_NAMES.ingestBatch],
  enrich: [JOB_NAMES.enrichChunk],
  index: [JOB_NAMES.drain, JOB_NAMES.drainFull],
  maintenance: [
    JOB_NAMES.heartbeat,
    JOB_NAMES.sweep,
    JOB_NAMES.retag,
    JOB_NAMES.retrain,
    JOB_NAMES.retention,
  ],
};

/** BullMQ forbids ':' in custom job ids; keep ids built from data readable and collision-free. */
export function jobId(...parts: Array<string | number>): string {
  return parts.map((p) => String(p).replace(/:/g, '_')).join('.');
}
