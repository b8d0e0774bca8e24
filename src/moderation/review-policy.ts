import type { Principal } from '../access/principal';
import type { ReviewStatus } from '../batches/batch.entity';

export const MODERATION_STATUSES = ['pending', 'approved', 'rejected'] as const;
/** An insight's own moderation state; only `approved` insight is seen outside its organisation. */
export type ModerationStatus = (typeof MODERATION_STATUSES)[number];

/**
 * The review a new batch starts in. Trusted organisations skip review, and so do uploads by the
 * people who would review them (admins, moderators) and by the bank's own operators at the command
 * line (no principal).
 */
export function initialReviewStatus(
  organisation: { trusted: boolean },
  uploader?: Pick<Principal, 'role'>,
): ReviewStatus {
  if (!uploader || organisation.trusted) return 'approved';
  return uploader.role === 'admin' || uploader.role === 'moderator'
    ? 'approved'
    : 'awaiting_review';
}

/** The moderation status an insight is stored with, from its batch's review. */
export function moderationStatusFor(review: ReviewStatus): ModerationStatus {
  switch (review) {
    case 'awaiting_review':
      return 'pending';
    case 'approved':
      return 'approved';
    case 'rejected':
      return 'rejected';
  }
}
