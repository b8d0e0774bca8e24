/**
 * A Meilisearch filter string literal. Backslash and double quote are escaped, so the value can
 * never close the literal early; every other character is inert inside the quotes.
 */
export function quoteValue(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A Meilisearch list of quoted literals, for `IN`. */
export function valueList(values: readonly string[]): string {
  return `[${values.map(quoteValue).join(', ')}]`;
}
