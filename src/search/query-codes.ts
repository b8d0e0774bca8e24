/**
 * Codes people type into a search box: postcode districts (ME10), inward codes (4DD), GP practice
 * ODS codes (G82045). One wrong character in a code names a different place or practice, and
 * Meilisearch's typo tolerance and prefix matching would treat "ME11" as a slip for "ME10".
 * Numbers are covered by the index settings; these mix letters and digits, so they are not.
 */
const CODE_PATTERNS: readonly RegExp[] = [
  /^[A-Z]{1,2}[0-9][A-Z0-9]?$/i,
  /^[0-9][A-Z]{2}$/i,
  /^[A-Z][0-9]{5}$/i,
  /^[A-Z]{2,3}[0-9]{2,4}$/i,
];

/** Must contain a digit, so ordinary words never count as codes. */
export function isCodeLike(token: string): boolean {
  return /[0-9]/.test(token) && /[A-Z]/i.test(token) && CODE_PATTERNS.some((p) => p.test(token));
}

/**
 * The query with every code outside quotes turned into a one-word phrase, which Meilisearch
 * matches exactly: no typos and no prefix. Text already in quotes is left as the user wrote it.
 */
export function protectCodes(q: string): string {
  const parts = q.split('"');
  // An odd number of quotes leaves the last one open; Meilisearch then ignores it, and so does this.
  return parts
    .map((part, i) =>
      i % 2 === 1 && i < parts.length - 1
        ? part
        : part.replace(/[A-Za-z0-9]+/g, (token) => (isCodeLike(token) ? `"${token}"` : token)),
    )
    .join('"');
}
