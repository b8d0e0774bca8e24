/**
 * Answers that say "no comment" in some form. Deliberately narrow: "Nothing" or "No" can be a
 * real answer to "What could we improve?", so they are kept.
 */
const PLACEHOLDERS = new Set([
  'n/a',
  'n.a',
  'n.a.',
  'na',
  'nil',
  'null',
  'none',
  'none given',
  'did not answer',
  'not answered',
  'no answer',
  'no response',
  'not applicable',
  'nothing to add',
  'nothing further to add',
  'no comment',
  'no comments',
  'no further comments',
  '0',
  '#n/a',
]);

const LONGEST_PLACEHOLDER = 32;

export function isPlaceholderComment(text: string): boolean {
  if (text.length > LONGEST_PLACEHOLDER) return !/[\p{L}\p{N}]/u.test(text);
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (t === '') return true;
  if (!/[\p{L}\p{N}]/u.test(t)) return true;
  return PLACEHOLDERS.has(t) || PLACEHOLDERS.has(t.replace(/[.!]+$/, ''));
}
