import { can, type ScopeRole } from '../access/permissions';

/** Roles that may delete any batch they can see, approved or not. */
const DELETES_ANY_BATCH: readonly ScopeRole[] = ['admin', 'moderator'];

export interface DeletionCaller {
  role: ScopeRole;
  organisationId: string | null;
}

/** What the decision needs to know about a batch (read under its row lock). */
export interface DeletionTarget {
  id: string;
  organisationId: string;
  /** Moderation's verdict on the batch (`awaiting_review`, `approved`, `rejected`); null before moderation. */
  reviewStatus: string | null;
}

export type DeletionDecision =
  { allowed: true } | { allowed: false; code: 'not_found' | 'forbidden'; message: string };

/**
 * Approved insight may already be quoted in reports and searches across the system, so once a
 * batch is approved only the people who approve batches may take it back.
 */
export function isApproved(batch: Pick<DeletionTarget, 'reviewStatus'>): boolean {
  return batch.reviewStatus === 'approved';
}

/**
 * Who may delete a batch now: admins and moderators any batch; a partner its own organisation's
 * batch until it is approved. `batch` is null when the caller cannot see it (or it does not
 * exist): both answer "not found", so a refusal never reveals a batch the caller may not see.
 */
export function decideBatchDeletion(
  caller: DeletionCaller,
  batchId: string,
  batch: DeletionTarget | null,
): DeletionDecision {
  if (!batch)
    return { allowed: false, code: 'not_found', message: `Batch ${batchId} was not found` };
  if (!can(caller.role, 'batches.delete'))
    return { allowed: false, code: 'forbidden', message: 'Your role may not delete batches' };
  if (DELETES_ANY_BATCH.includes(caller.role)) return { allowed: true };
  if (!caller.organisationId || batch.organisationId !== caller.organisationId)
    return {
      allowed: false,
      code: 'forbidden',
      message: "You may delete only your own organisation's batches",
    };
  if (isApproved(batch))
    return {
      allowed: false,
      code: 'forbidden',
      message: `Batch ${batchId} has been approved: a moderator must delete it (ask your ICB engagement team)`,
    };
  return { allowed: true };
}
