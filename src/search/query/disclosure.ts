/**
 * Statistical disclosure control for counts split by a population group, for roles without
 * row-level demographic access: the cell key method, as the ONS uses for the Census 2021 flexible
 * tables and the Australian Bureau of Statistics for TableBuilder (docs/disclosure.md).
 *
 * - Every insight carries a record key, a random whole number in [0, RECORD_KEY_RANGE), drawn
 *   once when the row is written and never changed (`insight.record_key`).
 * - A cell is a set of insights (for example: Black respondents, theme X, East Kent). Its cell key
 *   is the sum of its records' keys modulo RECORD_KEY_RANGE, so it depends only on which records
 *   are in the cell, not on how the question was asked or which endpoint counted it.
 * - The published count is the true count plus PERTURBATION_TABLE[cell key], and a published
 *   count below the threshold is shown as "fewer than <threshold>" (null) whether the cell holds
 *   0 or 9 records.
 *
 * Why this and not suppression alone: suppression hides small cells, but a reader who can ask
 * for the total and for the complement gets the hidden count back by subtraction. With cell keys
 * every published count is off by a small, fixed amount that the reader cannot know; the same
 * cell always gets the same amount, so asking again and averaging gains nothing, and a difference
 * of two published counts carries both amounts. Secondary suppression (hiding extra cells so the
 * hidden ones cannot be worked out from totals) is therefore not needed and not applied: totals
 * are perturbed cells of their own and do not equal the sum of the published parts.
 */

/** Record keys are 0..31 (five bits): enough for the table's probabilities, cheap to count in the index. */
export const RECORD_KEY_RANGE = 32;

/**
 * Cell key → adjustment. Twelve keys leave the count as it is, seven add one, seven take one,
 * three add two and three take two: mean 0, mean absolute change 0.81, never more than 2. The
 * order is a fixed shuffle so that neighbouring keys do not share an adjustment.
 */
export const PERTURBATION_TABLE: readonly number[] = [
  0, 1, -1, 0, 2, 0, -1, 1, 0, -2, 1, 0, -1, 0, 1, 2, -1, 0, -2, 1, 0, -1, 0, 1, -1, 2, 0, -2, 1,
  -1, 0, 0,
];

/** How many records a cell holds and the sum of their record keys. */
export interface KeyedCount {
  count: number;
  keySum: number;
}

export const EMPTY_CELL: KeyedCount = Object.freeze({ count: 0, keySum: 0 });

export function checkThreshold(threshold: number): void {
  if (!Number.isInteger(threshold) || threshold < 1) {
    throw new RangeError('The disclosure threshold must be a whole number of at least 1');
  }
}

export function cellKey(keySum: number): number {
  return ((keySum % RECORD_KEY_RANGE) + RECORD_KEY_RANGE) % RECORD_KEY_RANGE;
}

/**
 * The count a role without row-level access is shown: perturbed by the cell's key, or null
 * ("fewer than <threshold>") when the perturbed count is below the threshold. An empty cell is
 * null too, so a zero cannot be told from a small count.
 */
export function publishCount(cell: KeyedCount, threshold: number): number | null {
  checkThreshold(threshold);
  if (!Number.isInteger(cell.count) || cell.count < 0) {
    throw new RangeError('Counts must be whole numbers of at least 0');
  }
  if (cell.count === 0) return null;
  const published = Math.max(0, cell.count + PERTURBATION_TABLE[cellKey(cell.keySum)]);
  return published < threshold ? null : published;
}

export function addCells(a: KeyedCount, b: KeyedCount): KeyedCount {
  return { count: a.count + b.count, keySum: a.keySum + b.keySum };
}

export function sumCells(cells: Iterable<KeyedCount>): KeyedCount {
  let out = EMPTY_CELL;
  for (const c of cells) out = addCells(out, c);
  return out;
}

/** Bits of a record key: RECORD_KEY_RANGE is 2 ** RECORD_KEY_BITS. */
export const RECORD_KEY_BITS = 5;

/** Separates a value from a bit number in the search index's cell terms. */
export const CELL_BIT_SEPARATOR = '#';

/**
 * The terms one insight puts in a demographic attribute's cell twin: the value itself, and the
 * value with the number of each bit set in its record key ("65-74", "65-74#0", "65-74#3" for
 * key 9). Counted as a facet, they give each value's count and, bit by bit, the sum of its
 * records' keys. Five bit terms per value are far cheaper for the index to count than one term
 * per key (32 per value): measured in docs/disclosure.md.
 */
export function cellTerms(value: string, recordKey: number): string[] {
  if (!Number.isInteger(recordKey) || recordKey < 0 || recordKey >= RECORD_KEY_RANGE) {
    throw new RangeError(`A record key must be a whole number from 0 to ${RECORD_KEY_RANGE - 1}`);
  }
  const terms = [value];
  for (let bit = 0; bit < RECORD_KEY_BITS; bit++) {
    if ((recordKey >> bit) & 1) terms.push(`${value}${CELL_BIT_SEPARATOR}${bit}`);
  }
  return terms;
}

/**
 * Cells per value from the facet counts of a cell twin: a plain value's count is the cell's
 * count, and `value#bit` counts the records whose key has that bit, so the key sum is the sum of
 * 2^bit times each of those counts: exactly the sum of the records' keys, as PostgreSQL adds it.
 */
export function cellsFromFacet(
  distribution: Readonly<Record<string, number>>,
): Map<string, KeyedCount> {
  const cells = new Map<string, KeyedCount>();
  const cell = (value: string): KeyedCount => cells.get(value) ?? EMPTY_CELL;
  for (const [term, n] of Object.entries(distribution)) {
    const at = term.lastIndexOf(CELL_BIT_SEPARATOR);
    const bit = at < 0 ? NaN : Number(term.slice(at + 1));
    if (
      at >= 0 &&
      Number.isInteger(bit) &&
      bit >= 0 &&
      bit < RECORD_KEY_BITS &&
      term.slice(at + 1) !== ''
    ) {
      const value = term.slice(0, at);
      cells.set(value, addCells(cell(value), { count: 0, keySum: n * 2 ** bit }));
    } else {
      cells.set(term, addCells(cell(term), { count: n, keySum: 0 }));
    }
  }
  return cells;
}

export interface PublishedBreakdown {
  /** Every value of the list, in order of published count (then list order); null = below threshold. */
  counts: Record<string, number | null>;
  /** The values shown as "fewer than <threshold>", in list order. */
  suppressed: string[];
}

/**
 * A breakdown by a closed list of values, published cell by cell. Every value of the list is
 * present, and the order follows the published counts only, so neither the keys nor the order
 * say which hidden cells are empty.
 */
export function publishBreakdown(
  cells: ReadonlyMap<string, KeyedCount>,
  values: readonly string[],
  threshold: number,
): PublishedBreakdown {
  const all = [...values, ...[...cells.keys()].filter((v) => !values.includes(v))];
  const published = all.map((v, i) => ({
    v,
    i,
    n: publishCount(cells.get(v) ?? EMPTY_CELL, threshold),
  }));
  published.sort((a, b) => (b.n ?? -1) - (a.n ?? -1) || a.i - b.i);
  const counts: Record<string, number | null> = {};
  for (const p of published) counts[p.v] = p.n;
  return { counts, suppressed: all.filter((v) => counts[v] === null) };
}

/** Facet counts with every possible value present, so a missing value cannot be read as zero. */
export function withAllValues(
  counts: Readonly<Record<string, number>>,
  values: readonly string[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = counts[v] ?? 0;
  for (const [k, n] of Object.entries(counts)) if (!(k in out)) out[k] = n;
  return out;
}

export function countsOnlyMessage(parameters: readonly string[]): string {
  const list = parameters.join(', ');
  return `${list} ${parameters.length === 1 ? 'is a population-group filter' : 'are population-group filters'}, available to your role in counts only: use it in summary or trends, or count by it with facets. It cannot select comments.`;
}

/** A plain-English account of what these roles see, for API notices and pages. */
export function perturbationNotice(threshold: number): string {
  return `Counts split by a population group are published through disclosure control: each is adjusted by a small fixed amount (at most 2), and counts below ${threshold}, including none, are shown as "fewer than ${threshold}" (null).`;
}
