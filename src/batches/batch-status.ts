import { BATCH_STATUSES, type BatchStatus } from './batch.entity';

/** The status every batch starts in, when its upload is stored. */
export const INITIAL_BATCH_STATUS: BatchStatus = 'received';

/**
 * A batch's life as one table: each event, the statuses it may happen in and the status it leads
 * to. Every write of `batch.status` goes through it (BatchesRepository's transitions), as an
 * UPDATE conditional on the current status, so two workers racing on one batch cannot both move it.
 */
export const BATCH_TRANSITIONS = {
  /** The ingest job starts (or restarts after a crash) reading the stored file. */
  parse: { from: ['received', 'parsing'], to: 'parsing' },
  /** Every row is read and chunked; the chunks wait for the enrich step. */
  parsed: { from: ['received', 'parsing'], to: 'enriching' },
  /** Every chunk is stored (or failed for good); what remains is indexing. */
  enriched: { from: ['enriching'], to: 'indexing' },
  /** Every stored comment is in the index and no chunk failed. */
  indexed: { from: ['indexing'], to: 'complete' },
  /** Every stored comment is in the index, but some chunk failed for good. */
  indexedWithFailures: { from: ['indexing'], to: 'partially_failed' },
  /** The file cannot be read, or a job ran out of attempts: everything the batch produced goes. */
  fail: {
    from: ['received', 'parsing', 'enriching', 'indexing', 'partially_failed'],
    to: 'failed',
  },
  /** Deleted on request or at the end of its retention: the row stays as a tombstone. */
  delete: { from: BATCH_STATUSES.filter((s) => s !== 'deleted'), to: 'deleted' },
} as const satisfies Record<string, { from: readonly BatchStatus[]; to: BatchStatus }>;

export type BatchEvent = keyof typeof BATCH_TRANSITIONS;

/** Statuses an event may happen in. */
export function allowedFrom(event: BatchEvent): readonly BatchStatus[] {
  return BATCH_TRANSITIONS[event].from;
}

export function canTransition(from: BatchStatus, event: BatchEvent): boolean {
  return allowedFrom(event).includes(from);
}

/** The statuses a batch in `status` may move to next, with the events that move it. */
export function nextStatuses(status: BatchStatus): Array<{ event: BatchEvent; to: BatchStatus }> {
  return (Object.keys(BATCH_TRANSITIONS) as BatchEvent[])
    .filter((e) => canTransition(status, e))
    .map((e) => ({ event: e, to: BATCH_TRANSITIONS[e].to }));
}

/** A move the table does not allow: a defect in the caller, never bad input. */
export class IllegalBatchTransition extends Error {
  constructor(
    readonly batchId: string,
    readonly from: BatchStatus,
    readonly event: BatchEvent,
  ) {
    const { to } = BATCH_TRANSITIONS[event];
    super(
      `Batch ${batchId} cannot go from ${from} to ${to} (${event}): ${event} is allowed only from ${allowedFrom(event).join(', ')}`,
    );
    this.name = 'IllegalBatchTransition';
  }
}

/** The status `event` leads to from `from`; throws IllegalBatchTransition if the table forbids it. */
export function assertTransition(
  batchId: string,
  from: BatchStatus,
  event: BatchEvent,
): BatchStatus {
  if (!canTransition(from, event)) throw new IllegalBatchTransition(batchId, from, event);
  return BATCH_TRANSITIONS[event].to;
}
