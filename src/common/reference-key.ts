import { createHmac } from 'node:crypto';

/**
 * The de-duplication key of a row that carries the partner's reference: a keyed hash of the
 * reference and the question (or part) it answers. The reference itself may be an NHS number or
 * other identifier, so only this keyed hash is stored; without the key it cannot be tested
 * against guesses. `subject` is written `<reference>|<question or part>`.
 */
export function referenceDedupKey(secret: string, subject: string): string {
  return `ref:${createHmac('sha256', secret).update(subject, 'utf8').digest('hex')}`;
}
