/**
 * Header comparison key: case, spacing, punctuation and accents do not distinguish columns
 * ("Post code", "POSTCODE", "post_code:" are one column to a person).
 */
export function normaliseHeader(h: string): string {
  return h
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Lower-case word tokens, for keyword rules that must not match inside longer words. */
export function headerWords(h: string): string[] {
  return h
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}
