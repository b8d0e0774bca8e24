import { SetMetadata } from '@nestjs/common';
import type { Permission } from './permissions';

export const ACCESS_RULE = 'insight-bank:access';

export type AccessRule = { permission: Permission } | { public: true };

/** The permission a route needs (see the permission table in permissions.ts). */
export const RequirePermission = (permission: Permission): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_RULE, { permission } satisfies AccessRule);

/** A route anyone may call without signing in (health, API docs, sign-in). */
export const PublicRoute = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_RULE, { public: true } satisfies AccessRule);
