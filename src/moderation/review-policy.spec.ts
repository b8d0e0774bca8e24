import type { ScopeRole } from '../access/permissions';
import type { ReviewStatus } from '../batches/batch.entity';
import { placeholderCounts } from './moderation.service';
import { initialReviewStatus, moderationStatusFor } from './review-policy';

describe('review policy', () => {
  it.each<[boolean, ScopeRole | undefined, ReviewStatus]>([
    [false, 'partner', 'awaiting_review'],
    [false, 'analyst', 'awaiting_review'],
    [false, 'commissioner', 'awaiting_review'],
    [true, 'partner', 'approved'],
    [false, 'admin', 'approved'],
    [false, 'moderator', 'approved'],
    [false, undefined, 'approved'],
  ])('a batch from a trusted=%s organisation uploaded by %s starts %s', (trusted, role, want) => {
    expect(initialReviewStatus({ trusted }, role ? { role } : undefined)).toBe(want);
  });

  it.each<[ReviewStatus, string]>([
    ['awaiting_review', 'pending'],
    ['approved', 'approved'],
    ['rejected', 'rejected'],
  ])('stores the insights of a batch %s as %s', (review, status) => {
    expect(moderationStatusFor(review)).toBe(status);
  });

  it('counts the identifiers a text holds as placeholders', () => {
    expect(placeholderCounts('Dr [NAME] rang [PHONE], then [PHONE]', 'Your [POSTCODE]?')).toEqual({
      NAME: 1,
      PHONE: 2,
      POSTCODE: 1,
    });
    expect(placeholderCounts('No identifiers [here] or [phone]', null)).toEqual({});
  });
});
