import type { ScopeRole } from './permissions';

/** Who is calling: a signed-in person, a machine client with an API key, or nobody. */
export interface Principal {
  kind: 'user' | 'api_key' | 'anonymous' | 'system';
  /** user id or API key id; null for anonymous callers. */
  id: string | null;
  role: ScopeRole;
  organisationId: string | null;
  organisationCode: string | null;
  /** What audit rows and tag events name: an email, `key:<prefix>` or `anonymous`. */
  label: string;
}

export const ANONYMOUS: Principal = {
  kind: 'anonymous',
  id: null,
  role: 'public',
  organisationId: null,
  organisationCode: null,
  label: 'anonymous',
};

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the access guard on every request that reaches a route. */
    principal?: Principal;
  }
}

/** The bank acting for an operator at the command line or on a schedule (CLI, retention). */
export function systemPrincipal(label: string): Principal {
  return {
    kind: 'system',
    id: null,
    role: 'admin',
    organisationId: null,
    organisationCode: null,
    label,
  };
}
