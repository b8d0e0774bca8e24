import type { Correction, ExistingKey, NewInsight } from '../insights/insights.repository';
import type { RejectionInput } from './batches.repository';

/**
 * Within one chunk the first of several rows with the same key is kept; the others are duplicates
 * of it.
 */
export function firstOfEachKey(rows: NewInsight[]): {
  unique: NewInsight[];
  repeats: Array<{ row: NewInsight; of: NewInsight }>;
} {
  const firstByKey = new Map<string, NewInsight>();
  const unique: NewInsight[] = [];
  const repeats: Array<{ row: NewInsight; of: NewInsight }> = [];
  for (const r of rows) {
    const first = firstByKey.get(r.dedupKey);
    if (first) repeats.push({ row: r, of: first });
    else {
      firstByKey.set(r.dedupKey, r);
      unique.push(r);
    }
  }
  return { unique, repeats };
}

/**
 * A row re-uploaded by the same organisation with the reference of a comment stored from an
 * earlier batch, but saying something different, corrects that comment (as the upload template
 * promises). The same content again is a duplicate; a reference repeated within one batch keeps
 * its first row (the file is ambiguous about which is right).
 */
function isCorrection(row: NewInsight, prior: ExistingKey, batchId: string): boolean {
  return (
    row.externalRef !== null && prior.batchId !== batchId && prior.contentHash !== row.contentHash
  );
}

function duplicateOf(
  r: NewInsight,
  id: string | null,
  where: string,
  keptHash: string,
): RejectionInput {
  return {
    rowNumber: r.rowNumber,
    part: r.part,
    outcome: 'duplicate',
    reason: 'duplicate',
    field: null,
    // A reference repeated within one file with other content: the first row stands.
    message:
      r.contentHash === keptHash
        ? `Same comment as ${where}`
        : `Same reference as ${where}, with different content; the first row was kept`,
    duplicateOf: id,
  };
}

/**
 * What becomes of a chunk's rows once the new ones are stored: each unique row whose key was
 * already stored (`existing`, by key) is a replay of itself (nothing), a correction of the stored
 * comment, or a duplicate of it; each repeat within the chunk is a duplicate of its first row.
 * Every row not stored as new is accounted for by a correction or a recorded outcome.
 */
export function chunkOutcomes(
  batchId: string,
  unique: NewInsight[],
  repeats: Array<{ row: NewInsight; of: NewInsight }>,
  existing: Map<string, ExistingKey>,
): { corrections: Correction[]; outcomes: RejectionInput[] } {
  const outcomes: RejectionInput[] = [];
  const idOf = new Map<string, string>();
  const corrections: Correction[] = [];
  for (const r of unique) {
    const prior = existing.get(r.dedupKey);
    if (!prior) {
      idOf.set(r.dedupKey, r.id);
      continue;
    }
    idOf.set(r.dedupKey, prior.id);
    const replay =
      prior.batchId === batchId && prior.rowNumber === r.rowNumber && prior.part === r.part;
    if (replay) continue;
    if (isCorrection(r, prior, batchId)) {
      corrections.push({ id: prior.id, row: r, fromBatchId: batchId });
      outcomes.push({
        rowNumber: r.rowNumber,
        part: r.part,
        outcome: 'updated',
        reason: 'corrected',
        field: null,
        message: `Updated insight ${prior.id} (corrected by re-upload)`,
        duplicateOf: prior.id,
      });
      continue;
    }
    const where =
      prior.batchId === batchId
        ? `row ${prior.rowNumber} of this batch`
        : `an insight from an earlier batch (${prior.id})`;
    outcomes.push(duplicateOf(r, prior.id, where, prior.contentHash));
  }
  for (const { row, of } of repeats) {
    outcomes.push(
      duplicateOf(
        row,
        idOf.get(of.dedupKey) ?? null,
        `row ${of.rowNumber} of this batch`,
        of.contentHash,
      ),
    );
  }
  return { corrections, outcomes };
}
