import type { Request } from 'express';
import { DomainError } from '../common/domain-error';
import type { AuditActor } from '../audit/audit.service';
import type { Principal } from './principal';

type Req = Pick<Request, 'ip'> & { principal?: Principal; id?: unknown };

/** The principal the access guard attached; routes without one are a programming error. */
export function principalOf(req: { principal?: Principal }): Principal {
  if (!req.principal) throw new DomainError('unauthorized', 'Sign in or send an API key');
  return req.principal;
}

/** Who did it, for the audit log: principal, request id and client address. */
export function auditActor(req: Req): AuditActor {
  return {
    principal: principalOf(req),
    requestId: typeof req.id === 'string' || typeof req.id === 'number' ? String(req.id) : null,
    ip: req.ip ?? null,
  };
}
