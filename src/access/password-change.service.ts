import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import type { Actor } from './actor';
import { PASSWORD_MIN_LENGTH } from './credentials';
import { IdentityService } from './identity.service';
import type { SessionControl } from './session-store';

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

  async change(
    actor: Actor,
    current: string,
    next: string,
    session: SessionControl,
  ): Promise<PasswordChangeProblem | null> {
    const p = actor.principal;
    if (p.kind !== 'user' || !p.id) {
      throw new DomainError('forbidden', 'Only a signed-in person has a password to change');
    }
    const outcome = await this.identity.changeOwnPassword(p.id, current, next);
    if (!outcome.ok) {
      const problem = PROBLEMS[outcome.problem](outcome.message);
      await this.audit.record(actor, {
        action: 'auth.password_change_failed',
        targetType: 'user',
        targetId: p.id,
        details: { reason: outcome.problem },
      });
      return problem;
    }
    await session.start(p.id, p, outcome.changedAt.getTime());
    await this.audit.record(actor, {
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
