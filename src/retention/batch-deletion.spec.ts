import type { ScopeRole } from '../access/permissions';
import { decideBatchDeletion, isApproved, type DeletionTarget } from './batch-deletion';

const ID = '6d3f1f4e-3c1a-4a43-9a52-0d6f3b0b8a11';
const OWN = 'org-own';
const OTHER = 'org-other';

const batch = (organisationId: string, reviewStatus: string | null): DeletionTarget => ({
  id: ID,
  organisationId,
  reviewStatus,
});

describe('who may delete a batch', () => {
  const cases: Array<{
    name: string;
    role: ScopeRole;
    org: string | null;
    target: DeletionTarget | null;
    expected: 'allowed' | 'not_found' | 'forbidden';
    message?: RegExp;
  }> = [
    {
      name: 'admin, approved batch of another organisation',
      role: 'admin',
      org: OWN,
      target: batch(OTHER, 'approved'),
      expected: 'allowed',
    },
    {
      name: 'moderator, approved batch',
      role: 'moderator',
      org: OWN,
      target: batch(OTHER, 'approved'),
      expected: 'allowed',
    },
    {
      name: 'moderator, batch awaiting review',
      role: 'moderator',
      org: OWN,
      target: batch(OTHER, 'awaiting_review'),
      expected: 'allowed',
    },
    {
      name: 'system (retention, CLI) acts as admin',
      role: 'admin',
      org: null,
      target: batch(OTHER, 'approved'),
      expected: 'allowed',
    },
    {
      name: 'partner, own batch awaiting review',
      role: 'partner',
      org: OWN,
      target: batch(OWN, 'awaiting_review'),
      expected: 'allowed',
    },
    {
      name: 'partner, own rejected batch',
      role: 'partner',
      org: OWN,
      target: batch(OWN, 'rejected'),
      expected: 'allowed',
    },
    {
      name: 'partner, own batch before moderation existed',
      role: 'partner',
      org: OWN,
      target: batch(OWN, null),
      expected: 'allowed',
    },
    {
      name: 'partner, own approved batch',
      role: 'partner',
      org: OWN,
      target: batch(OWN, 'approved'),
      expected: 'forbidden',
      message: /approved: a moderator must delete it/,
    },
    {
      name: "partner, another organisation's batch it can see",
      role: 'partner',
      org: OWN,
      target: batch(OTHER, 'awaiting_review'),
      expected: 'forbidden',
      message: /only your own organisation's batches/,
    },
    {
      name: 'partner with no organisation',
      role: 'partner',
      org: null,
      target: batch(OWN, null),
      expected: 'forbidden',
    },
    {
      name: 'partner, batch it cannot see',
      role: 'partner',
      org: OWN,
      target: null,
      expected: 'not_found',
      message: new RegExp(`Batch ${ID} was not found`),
    },
    { name: 'admin, missing batch', role: 'admin', org: OWN, target: null, expected: 'not_found' },
    {
      name: 'analyst (no batches.delete)',
      role: 'analyst',
      org: OWN,
      target: batch(OWN, null),
      expected: 'forbidden',
      message: /may not delete/,
    },
    {
      name: 'commissioner',
      role: 'commissioner',
      org: OWN,
      target: batch(OWN, null),
      expected: 'forbidden',
    },
    {
      name: 'anonymous',
      role: 'public',
      org: null,
      target: batch(OWN, null),
      expected: 'forbidden',
    },
  ];

  it.each(cases)('$name → $expected', ({ role, org, target, expected, message }) => {
    const d = decideBatchDeletion({ role, organisationId: org }, ID, target);
    if (expected === 'allowed') {
      expect(d).toEqual({ allowed: true });
      return;
    }
    expect(d).toMatchObject({ allowed: false, code: expected });
    if (message && !d.allowed) expect(d.message).toMatch(message);
  });

  it('counts only approved as approved', () => {
    expect(isApproved({ reviewStatus: 'approved' })).toBe(true);
    for (const s of ['awaiting_review', 'rejected', null])
      expect(isApproved({ reviewStatus: s })).toBe(false);
  });
});
