import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from './domain-error';

/**
 * The pipe of a route's id parameter. What is not a UUID names nothing stored, so it is answered
 * as `not_found` with `message` (the API's and the pages' own words), like an id that is unknown.
 */
export function uuidParam(message: string): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', message) });
}
