import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from '../common/domain-error';
import { can, type Permission, type ScopeRole } from './permissions';
import type { Principal } from './principal';
import { scopeFor, type AccessScope } from './scope';

/**
 * Who is acting, resolved once: the principal, what it may see (its scope) and do, and where the
 * request came from, for the audit log. Controllers, API and pages alike, take it with
 * `@CurrentActor()` and hand it to the domain services, which apply its scope and record their own
 * audit rows; services never read the HTTP request.
 */
export interface Actor {
  principal: Principal;
  role: ScopeRole;
  /** Which comments and batches the actor may see; applied to the index and to PostgreSQL alike. */
  scope: AccessScope;
  /** May see the demographics of single comments and unsuppressed demographic counts. */
  rowLevelDemographics: boolean;
  /** May download result sets. */
  canExport: boolean;
  requestId: string | null;
  ip: string | null;
}

/** Where an action came from: the request's id and the client's address, when there was one. */
export interface ActorOrigin {
  requestId?: string | null;
  ip?: string | null;
}

/** The actor for a principal: the one place its scope and abilities are worked out. */
export function actorFor(principal: Principal, origin: ActorOrigin = {}): Actor {
  return {
    principal,
    role: principal.role,
    scope: scopeFor(principal.role, principal.organisationId),
    rowLevelDemographics: can(principal.role, 'insights.rowLevelDemographics'),
    canExport: can(principal.role, 'insights.export'),
    requestId: origin.requestId ?? null,
    ip: origin.ip ?? null,
  };
}

/** Whether the actor's role holds a permission (see the table in permissions.ts). */
export function actorCan(actor: Pick<Actor, 'role'>, permission: Permission): boolean {
  return can(actor.role, permission);
}

type RequestLike = Pick<Request, 'ip'> & { principal?: Principal; id?: unknown };

/** The principal the access guard attached; routes without one are a programming error. */
export function principalOf(req: { principal?: Principal }): Principal {
  if (!req.principal) throw new DomainError('unauthorized', 'Sign in or send an API key');
  return req.principal;
}

/** The actor of a request the access guard has authenticated. */
export function actorOf(req: RequestLike): Actor {
  return actorFor(principalOf(req), {
    requestId: typeof req.id === 'string' || typeof req.id === 'number' ? String(req.id) : null,
    ip: req.ip ?? null,
  });
}

/** The route's actor: `@CurrentActor() actor: Actor` in a controller method's parameters. */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor =>
  actorOf(ctx.switchToHttp().getRequest()),
);
