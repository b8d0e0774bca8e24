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

export const DEFAULT_DISCLOSURE_THRESHOLD = 10;

/** Record keys are 0..31: enough for the table's probabilities, few enough to count in the index. */
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

/** The keyed form of a value in the search index: the value and the record key. */
export const KEYED_SEPARATOR = '|';

export function keyedValue(value: string, recordKey: number): string {
  return `${value}${KEYED_SEPARATOR}${recordKey}`;
}

/**
 * Cells per value from the facet counts of a keyed attribute (`value|key` → count): the count of
 * a value is the sum over its keys, and its key sum weighs each key by its count.
 */
export function cellsFromKeyedFacet(
  distribution: Readonly<Record<string, number>>,
): Map<string, KeyedCount> {
  const cells = new Map<string, KeyedCount>();
  for (const [keyed, n] of Object.entries(distribution)) {
    const at = keyed.lastIndexOf(KEYED_SEPARATOR);
    const key = Number(keyed.slice(at + 1));
    if (at < 0 || !Number.isInteger(key)) continue;
    const value = keyed.slice(0, at);
    cells.set(value, addCells(cells.get(value) ?? EMPTY_CELL, { count: n, keySum: key * n }));
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
