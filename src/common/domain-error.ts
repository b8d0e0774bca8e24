export const DOMAIN_ERROR_CODES = [
  'not_found',
  'conflict',
  'invalid_input',
  'payload_too_large',
  'upstream_unavailable',
  'forbidden',
  'unauthorized',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** An error the caller can act on. Messages name the field, row or limit, never feedback text. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id: string): DomainError =>
  new DomainError('not_found', `${what} ${id} was not found`);
export const invalidInput = (message: string, details?: unknown): DomainError =>
  new DomainError('invalid_input', message, details);
