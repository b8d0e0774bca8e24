import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { PASSWORD_MIN_LENGTH } from './credentials';
import { IdentityService } from './identity.service';
import { auditActor, principalOf } from './request-context';
import { regenerateSession } from './session-store';

/** What went wrong, by the field the person must fix. */
export interface PasswordChangeProblem {
  field: 'currentPassword' | 'newPassword';
  message: string;
}

/**
 * A signed-in person changes their own password, from the API or the page alike: the current
 * password is required, both outcomes are audited (never the passwords), the session carries on
 * under a new id, and every other session of the person ends.
 */
@Injectable()
export class PasswordChangeService {
  constructor(
    private readonly identity: IdentityService,
    private readonly audit: AuditService,
  ) {}

  async change(req: Request, current: string, next: string): Promise<PasswordChangeProblem | null> {
    const p = principalOf(req);
    if (p.kind !== 'user' || !p.id) {
      throw new DomainError('forbidden', 'Only a signed-in person has a password to change');
    }
    const outcome = await this.identity.changeOwnPassword(p.id, current, next);
    if (!outcome.ok) {
      const problem = PROBLEMS[outcome.problem](outcome.message);
      await this.audit.record(auditActor(req), {
        action: 'auth.password_change_failed',
        targetType: 'user',
        targetId: p.id,
        details: { reason: outcome.problem },
      });
      return problem;
    }
    await regenerateSession(req);
    req.session.userId = p.id;
    req.session.signedInAt = outcome.changedAt.getTime();
    await this.audit.record(auditActor(req), {
      action: 'auth.password_change',
      targetType: 'user',
      targetId: p.id,
    });
    return null;
  }
}

const PROBLEMS: Record<
  'no_account' | 'no_password' | 'locked' | 'wrong_current' | 'weak' | 'same',
  (message?: string) => PasswordChangeProblem
> = {
  no_account: () => ({ field: 'currentPassword', message: 'This account cannot be changed' }),
  no_password: () => ({
    field: 'currentPassword',
    message:
      'This account signs in with your organisation account, so it has no password here to change',
  }),
  locked: () => ({
    field: 'currentPassword',
    message: 'The account is locked for 15 minutes after repeated wrong passwords: try again later',
  }),
  wrong_current: () => ({ field: 'currentPassword', message: 'Your current password is wrong' }),
  weak: (message) => ({
    field: 'newPassword',
    message: message
      ? `The new ${message}`
      : `The new password must be at least ${PASSWORD_MIN_LENGTH} characters`,
  }),
  same: () => ({
    field: 'newPassword',
    message: 'The new password must be different from the current one',
  }),
};
