import type { MappingSummary } from '../../../ingestion';
import type { Batch, UnplacedValues } from '../batch.entity';

export interface BatchView {
  id: string;
  organisation: { id: string; code?: string; name?: string };
  title: string;
  sourceType: string;
  collectionMethod: string | null;
  collectedFrom: string | null;
  collectedTo: string | null;
  sharingLevel: string;
  retentionUntil: string | null;
  fileName: string;
  fileSha256: string;
  fileSize: number;
  profile: string | null;
  /** Which column fills which field, which were not used, which key fields were not found. */
  mapping: MappingSummary | null;
  status: string;
  /** Moderation: `awaiting_review`, `approved` or `rejected` (see the README's Moderation). */
  reviewStatus: string;
  reviewedAt: string | null;
  /** The moderator's reason, when the batch was rejected with one. */
  reviewReason: string | null;
  /** received = accepted + updated + rejected + duplicates, once the batch has been enriched. */
  counts: {
    received: number;
    accepted: number;
    /** Rows that corrected a comment stored from an earlier batch (same reference, new content). */
    updated: number;
    rejected: number;
    duplicates: number;
    indexed: number;
  };
  progress: {
    phase: string;
    rowsRead: number;
    chunksTotal: number;
    chunksDone: number;
    percent: number;
  };
  timings: {
    createdAt: string;
    startedAt: string | null;
    parsedAt: string | null;
    completedAt: string | null;
    durationMs: number | null;
  };
  errorSummary: Record<string, number>;
  /**
   * Demographic answers the bank could not place, per field (the ten most frequent, de-identified,
   * cut to 40 characters, with how many comments gave each), once enriched; only for the uploading
   * organisation, admins and moderators (null for others, and when every answer was placed).
   */
  unplacedValues: UnplacedValues | null;
  errorMessage: string | null;
  /** Set once the batch is deleted: its insights and files are gone, this record stays. */
  deletion: { at: string; by: string | null; reason: string | null } | null;
  links: { self: string; rejections: string };
}

export function batchLinks(id: string): BatchView['links'] {
  return { self: `/api/v1/batches/${id}`, rejections: `/api/v1/batches/${id}/rejections` };
}

/** What the API shows of a batch: counts, progress and timings, never file contents. */
export function toBatchView(
  b: Batch,
  chunks?: { total: number; done: number; failed: number },
  opts: { showUnplaced?: boolean } = {},
): BatchView {
  const total = chunks?.total ?? 0;
  const done = (chunks?.done ?? 0) + (chunks?.failed ?? 0);
  let percent: number;
  switch (b.status) {
    case 'received':
      percent = 0;
      break;
    case 'parsing':
    case 'enriching':
      percent =
        b.parseComplete && total
          ? Math.round((80 * done) / total)
          : total
            ? Math.min(40, Math.round((40 * done) / total))
            : 5;
      break;
    case 'indexing':
      percent = 80 + (b.accepted ? Math.round((20 * b.indexed) / b.accepted) : 20);
      break;
    case 'complete':
    case 'failed':
    case 'partially_failed':
    case 'deleted':
      percent = 100;
      break;
  }
  const end = b.completedAt ?? null;
  return {
    id: b.id,
    organisation: { id: b.organisationId, code: b.organisation?.code, name: b.organisation?.name },
    title: b.title,
    sourceType: b.sourceType,
    collectionMethod: b.collectionMethod,
    collectedFrom: b.collectedFrom,
    collectedTo: b.collectedTo,
    sharingLevel: b.sharingLevel,
    retentionUntil: b.retentionUntil,
    fileName: b.fileName,
    fileSha256: b.fileSha256,
    fileSize: Number(b.fileSize),
    profile: b.profile,
    mapping: b.mapping,
    status: b.status,
    reviewStatus: b.reviewStatus,
    reviewedAt: b.reviewedAt?.toISOString() ?? null,
    reviewReason: b.reviewReason,
    counts: {
      received: b.received,
      accepted: b.accepted,
      updated: b.updated,
      rejected: b.rejected,
      duplicates: b.duplicates,
      indexed: b.indexed,
    },
    progress: {
      phase: b.status,
      rowsRead: b.rowsRead,
      chunksTotal: total,
      chunksDone: done,
      percent,
    },
    timings: {
      createdAt: b.createdAt.toISOString(),
      startedAt: b.startedAt?.toISOString() ?? null,
      parsedAt: b.parsedAt?.toISOString() ?? null,
      completedAt: end?.toISOString() ?? null,
      durationMs: end ? end.getTime() - b.createdAt.getTime() : null,
    },
    errorSummary: b.errorSummary,
    unplacedValues: opts.showUnplaced ? (b.unplacedValues ?? null) : null,
    errorMessage: b.errorMessage,
    deletion: b.deletedAt
      ? { at: b.deletedAt.toISOString(), by: b.deletedBy, reason: b.deletionReason }
      : null,
    links: batchLinks(b.id),
  };
}
