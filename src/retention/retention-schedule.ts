import type { JobSchedulerTemplateOptions } from 'bullmq';
import type { AppConfig } from '../config/env.schema';

/** One scheduler for the whole bank, so several workers upserting it still make one job per interval. */
export const RETENTION_SCHEDULER_ID = 'retention-expiry';

/**
 * A scheduled retention run: deleting is idempotent, so retries are safe; a longer outage is
 * covered by the next interval.
 */
export const RETENTION_JOB_OPTIONS: JobSchedulerTemplateOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 60_000 },
  removeOnComplete: { age: 30 * 24 * 3600, count: 100 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

const HOUR_MS = 3_600_000;

export function retentionEveryMs(
  config: Pick<AppConfig, 'RETENTION_SWEEP_INTERVAL_HOURS'>,
): number {
  return config.RETENTION_SWEEP_INTERVAL_HOURS * HOUR_MS;
}

export interface ExpiredBatchOutcome {
  id: string;
  organisation: string;
  retentionUntil: string;
  /** Insights deleted (a dry run: insights that would be). */
  insights: number;
}

export interface RetentionReport {
  dryRun: boolean;
  batches: ExpiredBatchOutcome[];
  /** Batches that could not be deleted this run (error names only); the next run tries again. */
  failed: Array<{ id: string; error: string }>;
}

/** What `retention:run` prints. */
export function formatRetentionReport(r: RetentionReport): string[] {
  const verb = r.dryRun ? 'Would delete' : 'Deleted';
  const lines = r.batches.map(
    (b) =>
      `${verb} batch ${b.id} (${b.organisation}, retention until ${b.retentionUntil}): ${b.insights} insight${b.insights === 1 ? '' : 's'}`,
  );
  for (const f of r.failed)
    lines.push(`Could not delete batch ${f.id} (${f.error}); the next run tries again`);
  if (!r.batches.length && !r.failed.length) lines.push('No batch is past its retention date.');
  else {
    const insights = r.batches.reduce((n, b) => n + b.insights, 0);
    lines.push(
      `${verb} ${r.batches.length} batch${r.batches.length === 1 ? '' : 'es'} and ${insights} insight${insights === 1 ? '' : 's'}.`,
    );
  }
  return lines;
}
