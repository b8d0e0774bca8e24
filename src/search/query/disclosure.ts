/**
 * Statistical disclosure control for demographic counts shown to roles without row-level
 * demographic access.
 *
 * Rules, and why:
 * - Primary: a count with 0 < n < threshold is hidden (null).
 * - Zeros are shown as 0. A zero says that nobody in the result belongs to a group; it does not
 *   point at a person, and hiding every zero would blank most small tables. The exception is a
 *   line whose every non-zero count is already hidden: then its zeros are hidden too, otherwise
 *   the total minus the visible zeros gives the hidden count back.
 * - Secondary: the reader knows the total and every visible count, so the sum of the hidden
 *   counts in a line is known to them. A line with hidden counts is safe when it hides at least
 *   two counts, their sum is at least the threshold, and the sum is more than the smallest value
 *   the hidden counts could take (ten hidden ones summing to ten are each exactly one).
 *   Otherwise the smallest visible non-zero count of the line is hidden too, and again, until
 *   safe or nothing visible is left.
 * - Counts the index could not attribute (total − sum of counts, e.g. documents without the
 *   field) are treated as known to the reader, since another query can reveal them; protection
 *   never relies on them.
 * - Tables (trends: period × theme) are also checked as a whole, by searching for any way to
 *   move one unit between hidden cells that keeps every published row and column total: a hidden
 *   cell that cannot move is recoverable and gets a partner hidden in its row or column.
 */

export interface FacetCounts {
  [value: string]: number;
}

export const DEFAULT_DISCLOSURE_THRESHOLD = 10;

export interface SuppressedFacet {
  counts: Record<string, number | null>;
  /** The values whose counts were hidden, primary and secondary, smallest first. */
  suppressed: string[];
}

/** Facet counts with every possible value present, so a missing value cannot be read as zero-or-hidden. */
export function withAllValues(counts: FacetCounts, values: readonly string[]): FacetCounts {
  const out: FacetCounts = {};
  for (const v of values) out[v] = counts[v] ?? 0;
  for (const [k, n] of Object.entries(counts)) if (!(k in out)) out[k] = n;
  return out;
}

function checkThreshold(threshold: number): void {
  if (!Number.isInteger(threshold) || threshold < 1) {
    throw new RangeError('The disclosure threshold must be a whole number of at least 1');
  }
}

function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError('Counts must be whole numbers of at least 0');
  }
}

/**
 * Safe when the hidden counts of a line cannot be told apart by subtraction. `floors` are the
 * least the reader knows each hidden count to be: 1, since zeros are shown, or 0 in a line that
 * is hidden entirely.
 */
function lineIsSafe(
  hidden: readonly number[],
  floors: readonly number[],
  threshold: number,
): boolean {
  if (!hidden.some((n) => n > 0)) return true;
  const sum = hidden.reduce((a, b) => a + b, 0);
  const floor = floors.reduce((a, b) => a + b, 0);
  return hidden.length >= 2 && sum >= threshold && sum > floor;
}

/**
 * Hides small demographic facet counts so that none can be recovered from the total and the
 * visible counts. `total` is the number of comments in the result; it is only checked, because
 * the rules above already assume the reader knows it.
 */
export function suppressFacet(
  counts: FacetCounts,
  total: number,
  threshold: number,
): SuppressedFacet {
  checkThreshold(threshold);
  checkCount(total);
  const keys = Object.keys(counts);
  for (const k of keys) checkCount(counts[k]);

  const hidden = new Set(keys.filter((k) => counts[k] > 0 && counts[k] < threshold));
  const hiddenValues = (): number[] => [...hidden].map((k) => counts[k]);
  const floors = (): number[] => [...hidden].map(() => (hidden.size === keys.length ? 0 : 1));
  while (hidden.size > 0 && !lineIsSafe(hiddenValues(), floors(), threshold)) {
    const next = smallest(
      keys.filter((k) => !hidden.has(k) && counts[k] > 0),
      (k) => counts[k],
    );
    if (next === undefined) {
      for (const k of keys) hidden.add(k);
      break;
    }
    hidden.add(next);
  }

  const out: Record<string, number | null> = {};
  for (const k of keys) out[k] = hidden.has(k) ? null : counts[k];
  const suppressed = keys
    .filter((k) => hidden.has(k))
    .sort((a, b) => counts[a] - counts[b] || a.localeCompare(b));
  return { counts: out, suppressed };
}

export interface TableOptions {
  /** Row totals are published (default true). */
  rowTotals?: boolean;
  /** Column totals are published (default true). */
  colTotals?: boolean;
}

type Cell = readonly [number, number];

/**
 * Hides small cells of a table (rows × columns, e.g. periods × themes) so that no hidden cell can
 * be recovered from the published row totals, column totals and grand total together with the
 * visible cells. Iterates to a fixpoint: each new hidden cell can unsettle the lines it crosses.
 */
export function suppressTable(
  cells: number[][],
  threshold: number,
  opts: TableOptions = {},
): (number | null)[][] {
  checkThreshold(threshold);
  const rows = cells.length;
  const cols = rows === 0 ? 0 : cells[0].length;
  for (const row of cells) {
    if (row.length !== cols)
      throw new RangeError('Every row of the table must have the same length');
    for (const n of row) checkCount(n);
  }
  const rowTotals = opts.rowTotals ?? true;
  const colTotals = opts.colTotals ?? true;

  const hidden = cells.map((row) => row.map((n) => n > 0 && n < threshold));
  const lines: Cell[][] = [];
  if (rowTotals) {
    for (let r = 0; r < rows; r++) lines.push(range(cols).map((c) => [r, c] as const));
  }
  if (colTotals) {
    for (let c = 0; c < cols; c++) lines.push(range(rows).map((r) => [r, c] as const));
  }
  if (!rowTotals && !colTotals) {
    // Only the grand total is published: the whole table is one line.
    lines.push(range(rows).flatMap((r) => range(cols).map((c) => [r, c] as const)));
  }

  const value = ([r, c]: Cell): number => cells[r][c];
  const isHidden = ([r, c]: Cell): boolean => hidden[r][c];
  const floors = (): number[][] => readerFloors(hidden, lines);
  const hiddenInCross = ([r, c]: Cell): number =>
    hidden[r].filter(Boolean).length + hidden.filter((row) => row[c]).length;

  /** Hides one more cell of the line; false when nothing visible is left in it. */
  const widen = (line: readonly Cell[]): boolean => {
    const visible = line.filter((cell) => !isHidden(cell));
    // Prefer a partner whose own row or column already hides cells: it protects both lines.
    const next = smallest(
      visible.filter((cell) => value(cell) > 0),
      (cell) => value(cell) * (rows + cols + 1) - hiddenInCross(cell),
    );
    if (next) {
      hidden[next[0]][next[1]] = true;
      return true;
    }
    if (visible.length === 0) return false;
    for (const [r, c] of visible) hidden[r][c] = true;
    return true;
  };

  // Cells the published totals give away even with the whole table hidden (a row total of 7
  // with every other line in it zero, say): hiding more cannot help, so they are not chased.
  // Totals below the threshold should themselves be published suppressed.
  const everyCell = range(rows).flatMap((r) => range(cols).map((c) => [r, c] as const));
  const allHidden = cells.map((row) => row.map(() => true));
  const inherent = new Set(
    recoverableCells(
      cells,
      allHidden,
      readerFloors(allHidden, lines),
      threshold,
      rowTotals,
      colTotals,
    ).map(([r, c]) => r * cols + c),
  );

  for (let guard = 0; guard <= rows * cols + 1; guard++) {
    let changed = false;
    for (const line of lines) {
      for (;;) {
        const hiddenCells = line.filter(isHidden);
        const floor = floors();
        const safe = lineIsSafe(
          hiddenCells.map(value),
          hiddenCells.map(([r, c]) => floor[r][c]),
          threshold,
        );
        if (safe || !widen(line)) break;
        changed = true;
      }
    }
    if (!changed) {
      const pinned = recoverableCells(
        cells,
        hidden,
        floors(),
        threshold,
        rowTotals,
        colTotals,
      ).find(([r, c]) => !inherent.has(r * cols + c));
      if (!pinned) break;
      const [r, c] = pinned;
      const crossing = lines.filter((line) => line.some(([lr, lc]) => lr === r && lc === c));
      if (!crossing.some((line) => widen(line)) && !widen(everyCell)) break;
    }
  }

  return cells.map((row, r) => row.map((n, c) => (hidden[r][c] ? null : n)));
}

/**
 * The hidden cells below the threshold whose values are fixed by the published totals.
 *
 * The reader's unknowns are the hidden cells, each at least 1 (or 0 for a hidden zero); the
 * published totals fix the sum of the hidden cells of each published row and column. The
 * solutions form a transportation polytope, so a cell can take another value exactly when one
 * unit can travel round a cycle through it: +1 on it, alternately −1 and +1 on other hidden cells
 * of shared rows and columns, where a −1 needs the cell to be above its floor. Lines whose total
 * is not published are joined through a hub, which lets any amount in or out of them.
 */
export function recoverableCells(
  cells: number[][],
  hidden: boolean[][],
  floors: number[][],
  threshold: number,
  rowTotals: boolean,
  colTotals: boolean,
): Cell[] {
  const rows = cells.length;
  const cols = rows === 0 ? 0 : cells[0].length;
  const rowNode = (r: number): number => r;
  const colNode = (c: number): number => rows + c;
  const ROW_HUB = rows + cols;
  const COL_HUB = rows + cols + 1;
  const nodes = rows + cols + 2;

  const floor = (r: number, c: number): number => floors[r][c];
  const edges: Array<{ r: number; c: number }> = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) if (hidden[r][c]) edges.push({ r, c });
  }

  /** Arcs of the residual graph: forward (row→column) raises a cell, backward lowers it. */
  const arcs = (skip: { r: number; c: number }): number[][] => {
    const adj: number[][] = Array.from({ length: nodes }, () => []);
    for (const e of edges) {
      if (e === skip) continue;
      adj[rowNode(e.r)].push(colNode(e.c));
      if (cells[e.r][e.c] > floor(e.r, e.c)) adj[colNode(e.c)].push(rowNode(e.r));
    }
    const link = (a: number, b: number): void => {
      adj[a].push(b);
      adj[b].push(a);
    };
    if (!rowTotals) for (let r = 0; r < rows; r++) link(rowNode(r), ROW_HUB);
    if (!colTotals) for (let c = 0; c < cols; c++) link(colNode(c), COL_HUB);
    return adj;
  };

  const reaches = (adj: number[][], from: number, to: number): boolean => {
    const seen = new Uint8Array(nodes);
    const stack = [from];
    seen[from] = 1;
    for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
      if (n === to) return true;
      for (const m of adj[n]) {
        if (!seen[m]) {
          seen[m] = 1;
          stack.push(m);
        }
      }
    }
    return false;
  };

  // With neither total published, only the grand total binds the hidden cells: one line.
  if (!rowTotals && !colTotals) {
    return recoverableInOneLine(cells, hidden, floors, threshold);
  }

  const pinned: Cell[] = [];
  for (const e of edges) {
    const v = cells[e.r][e.c];
    if (v === 0 || v >= threshold) continue;
    const adj = arcs(e);
    const canRise = reaches(adj, colNode(e.c), rowNode(e.r));
    const canFall = v > floor(e.r, e.c) && reaches(adj, rowNode(e.r), colNode(e.c));
    if (!canRise && !canFall) pinned.push([e.r, e.c]);
  }
  return pinned;
}

function recoverableInOneLine(
  cells: number[][],
  hidden: boolean[][],
  floors: number[][],
  threshold: number,
): Cell[] {
  const all: Cell[] = [];
  cells.forEach((row, r) => row.forEach((_, c) => hidden[r][c] && all.push([r, c])));
  const values = all.map(([r, c]) => cells[r][c]);
  const lows = all.map(([r, c]) => floors[r][c]);
  if (lineIsSafe(values, lows, threshold)) return [];
  return all.filter(([r, c]) => cells[r][c] > 0 && cells[r][c] < threshold);
}

/**
 * True when rows must be withheld: a demographic filter has narrowed the result to a group
 * smaller than the threshold, where single comments could be tied to people. An empty result
 * discloses nothing and is shown as such.
 */
export function demographicFilterBelowThreshold(
  hitCount: number,
  usesDemographicFilter: boolean,
  threshold: number,
): boolean {
  checkThreshold(threshold);
  return usesDemographicFilter && hitCount > 0 && hitCount < threshold;
}

/**
 * The least a reader knows each hidden cell holds: zeros are shown except in a published line
 * hidden entirely, so only a cell in such a line might be a hidden zero.
 */
function readerFloors(hidden: boolean[][], lines: readonly (readonly Cell[])[]): number[][] {
  const floors = hidden.map((row) => row.map((h) => (h ? 1 : 0)));
  for (const line of lines) {
    if (line.every(([r, c]) => hidden[r][c])) for (const [r, c] of line) floors[r][c] = 0;
  }
  return floors;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function smallest<T>(items: readonly T[], key: (item: T) => number): T | undefined {
  let best: T | undefined;
  let bestKey = Infinity;
  for (const item of items) {
    const k = key(item);
    if (k < bestKey) {
      best = item;
      bestKey = k;
    }
  }
  return best;
}
