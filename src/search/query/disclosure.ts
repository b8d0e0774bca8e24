/**
 * Statistical disclosure control for counts split by a population group, for roles without
 * row-level demographic access: the cell key method, as the ONS uses for the Census 2021 flexible
 * tables and the Australian Bureau of Statistics for TableBuilder (docs/disclosure.md).
 *
 * - Every insight carries a record key, a random whole number in [0, RECORD_KEY_RANGE), drawn
 *   once when the row is written and never changed (`insight.record_key`).
 * - A cell is a set of insights (for example: Black respondents, theme X, East Kent). Its cell key
 *   is a hash of how many records it holds and the sum of their key parts (the low CELL_KEY_BITS
 *   bits of each record key), so it depends only on which records are in the cell, not on how the
 *   question was asked or which endpoint counted it. (The ABS takes the sum of the whole keys
 *   modulo the range; hashing the count with the sum of fewer bits keeps that property and costs
 *   the search index a fraction of the counting: see "Cost" in docs/disclosure.md.)
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

/** How many records a cell holds and the sum of their key parts (`keyPart` of each record key). */
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

/**
 * The bits of each record key that enter its cells' keys. One bit: the index counts one extra
 * term per value (see cellTerms). A cell of n records then has n + 1 possible key sums, and the
 * hash spreads each (count, sum) pair over the whole table.
 */
export const CELL_KEY_BITS = 1;

const KEY_PART_MASK = 2 ** CELL_KEY_BITS - 1;

/** The part of a record key that counts towards its cells' keys. */
export function keyPart(recordKey: number): number {
  return recordKey & KEY_PART_MASK;
}

/** The same in SQL, for an insight row aliased `alias`: sum it to get a cell's key sum. */
export function keyPartSql(alias: string): string {
  return `(${alias}.record_key & ${KEY_PART_MASK})`;
}

/**
 * A cell's key: a fixed integer hash (the 32-bit finaliser of MurmurHash3) of its count and key
 * sum, reduced to the table's range. Fixed, so the same records always get the same adjustment.
 */
export function cellKey(cell: KeyedCount): number {
  let h = Math.imul(cell.count ^ 0x9e3779b9, 0x85ebca6b) ^ cell.keySum;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % RECORD_KEY_RANGE;
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
  const published = Math.max(0, cell.count + PERTURBATION_TABLE[cellKey(cell)]);
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

/** Separates a value from a bit number in the search index's cell terms. */
export const CELL_BIT_SEPARATOR = '#';

/**
 * The terms one insight puts in a demographic attribute's cell twin: the value itself, and the
 * value with the number of each key-part bit set in its record key ("65-74" and "65-74#0" for
 * an odd key). Counted as a facet, they give each value's count and, bit by bit, the sum of its
 * records' key parts. Each bit term makes the index count one more term per value, which is
 * what a commissioner's demographic facets cost over an analyst's: measured in docs/disclosure.md.
 */
export function cellTerms(value: string, recordKey: number): string[] {
  if (!Number.isInteger(recordKey) || recordKey < 0 || recordKey >= RECORD_KEY_RANGE) {
    throw new RangeError(`A record key must be a whole number from 0 to ${RECORD_KEY_RANGE - 1}`);
  }
  const terms = [value];
  for (let bit = 0; bit < CELL_KEY_BITS; bit++) {
    if ((recordKey >> bit) & 1) terms.push(`${value}${CELL_BIT_SEPARATOR}${bit}`);
  }
  return terms;
}

/** A cell twin's bit term: `value#bit`. */
const BIT_TERM = new RegExp(`^(.*)${CELL_BIT_SEPARATOR}(\\d+)$`, 's');

/**
 * Cells per value from the facet counts of a cell twin: a plain value's count is the cell's
 * count, and `value#bit` counts the records whose key has that bit, so the key sum is the sum of
 * 2^bit times each of those counts: exactly the sum of the records' key parts, as PostgreSQL
 * adds them (keyPartSql).
 */
export function cellsFromFacet(
  distribution: Readonly<Record<string, number>>,
): Map<string, KeyedCount> {
  const cells = new Map<string, KeyedCount>();
  const cell = (value: string): KeyedCount => cells.get(value) ?? EMPTY_CELL;
  for (const [term, n] of Object.entries(distribution)) {
    const bitTerm = BIT_TERM.exec(term);
    if (!bitTerm) {
      cells.set(term, addCells(cell(term), { count: n, keySum: 0 }));
      continue;
    }
    const [, value, digits] = bitTerm;
    const bit = Number(digits);
    // A higher bit is a leftover of a document written when cells used more key bits, until
    // it is indexed again; it is not a value.
    if (bit < CELL_KEY_BITS)
      cells.set(value, addCells(cell(value), { count: 0, keySum: n * 2 ** bit }));
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
