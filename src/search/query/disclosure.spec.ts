import {
  demographicFilterBelowThreshold,
  suppressFacet,
  suppressTable,
  withAllValues,
  type FacetCounts,
  type TableOptions,
} from './disclosure';

/** mulberry32: small, seeded, good enough to spread test cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A count as real results look: many zeros and small counts, some large ones. */
function randomCount(rand: () => number): number {
  const r = rand();
  if (r < 0.2) return 0;
  if (r < 0.55) return 1 + Math.floor(rand() * 9);
  if (r < 0.7) return 1 + Math.floor(rand() * 3);
  return 10 + Math.floor(rand() * 60);
}

interface Interval {
  lo: number;
  hi: number;
}

/**
 * The least a reader knows a hidden cell holds. Zeros are shown, and hidden only in a line
 * with nothing visible left, so a hidden cell outside any fully hidden line is at least 1.
 */
function readerFloors(shown: (number | null)[], lines: number[][]): number[] {
  const blank = new Set(lines.filter((line) => line.every((i) => shown[i] === null)).flat());
  return shown.map((v, i) => (v === null && !blank.has(i) ? 1 : 0));
}

/**
 * What a reader can deduce about each hidden cell from the published lines: each line says
 * "these hidden cells sum to S" (its total minus its visible cells). Bounds are tightened
 * line by line until nothing changes. The reader is also granted the count of unattributed
 * comments, which the page does not show.
 */
function attack(
  truth: number[],
  shown: (number | null)[],
  lines: number[][],
  lineTotals: number[],
): Interval[] {
  const floors = readerFloors(shown, lines);
  const bounds: Interval[] = truth.map((v, i) =>
    shown[i] === null ? { lo: floors[i], hi: Infinity } : { lo: v, hi: v },
  );
  for (let changed = true; changed;) {
    changed = false;
    lines.forEach((line, l) => {
      const unknown = line.filter((i) => shown[i] === null);
      const sum =
        lineTotals[l] - line.filter((i) => shown[i] !== null).reduce((a, i) => a + truth[i], 0);
      for (const i of unknown) {
        const others = unknown.filter((j) => j !== i);
        const lo = Math.max(bounds[i].lo, sum - others.reduce((a, j) => a + bounds[j].hi, 0));
        const hi = Math.min(bounds[i].hi, sum - others.reduce((a, j) => a + bounds[j].lo, 0));
        if (lo !== bounds[i].lo || hi !== bounds[i].hi) {
          bounds[i] = { lo, hi };
          changed = true;
        }
      }
    });
  }
  return bounds;
}

function expectNothingRecoverable(
  truth: number[],
  shown: (number | null)[],
  bounds: Interval[],
  t: number,
  inherent: ReadonlySet<number> = new Set(),
): void {
  truth.forEach((v, i) => {
    if (inherent.has(i)) return;
    if (shown[i] !== null) {
      expect(shown[i]).toBe(v);
      if (v > 0) expect(v).toBeGreaterThanOrEqual(t);
      return;
    }
    // The attack must be sound, or it proves nothing.
    expect(bounds[i].lo).toBeLessThanOrEqual(v);
    expect(bounds[i].hi).toBeGreaterThanOrEqual(v);
    if (v > 0 && v < t) expect(bounds[i].hi).toBeGreaterThan(bounds[i].lo);
  });
}

/**
 * The rule as the reader meets it: every line that hides a small count hides at least two, adding
 * up to at least the threshold, unless the whole line is hidden.
 */
function expectLinesProtected(
  truth: number[],
  shown: (number | null)[],
  lines: number[][],
  t: number,
): void {
  for (const line of lines) {
    const hidden = line.filter((i) => shown[i] === null);
    if (!hidden.some((i) => truth[i] > 0 && truth[i] < t)) continue;
    if (hidden.length === line.length) continue;
    expect(hidden.length).toBeGreaterThanOrEqual(2);
    expect(hidden.reduce((a, i) => a + truth[i], 0)).toBeGreaterThanOrEqual(t);
  }
}

describe('suppressFacet', () => {
  it.each<[string, FacetCounts, number, Record<string, number | null>]>([
    [
      'shows counts at or above the threshold',
      { white: 80, asian: 12, black: 10 },
      102,
      { white: 80, asian: 12, black: 10 },
    ],
    [
      'shows zeros as zeros',
      { white: 80, asian: 20, other: 0 },
      100,
      { white: 80, asian: 20, other: 0 },
    ],
    [
      'hides a small count and its smallest sibling, which can be subtracted from the total',
      { white: 50, asian: 30, black: 5 },
      85,
      { white: 50, asian: null, black: null },
    ],
    [
      'hides two small counts whose sum is below the threshold and one more',
      { white: 50, mixed: 3, black: 4, asian: 20 },
      77,
      { white: 50, mixed: null, black: null, asian: null },
    ],
    [
      'stops once two hidden counts sum to the threshold',
      { white: 50, mixed: 4, black: 6, asian: 20 },
      80,
      { white: 50, mixed: null, black: null, asian: 20 },
    ],
    [
      'keeps zeros visible when non-zero counts can protect',
      { white: 40, other: 0, mixed: 3, black: 15 },
      58,
      { white: 40, other: 0, mixed: null, black: null },
    ],
    [
      'hides zeros too when one small count is all there is',
      { white: 5, black: 0, asian: 0 },
      5,
      { white: null, black: null, asian: null },
    ],
    [
      'hides every count of a small result',
      { yes: 3, no: 4, unknown: 0 },
      7,
      { yes: null, no: null, unknown: null },
    ],
    [
      'does not leave hidden ones that could only each be one',
      { a: 1, b: 1, c: 1, d: 1, e: 1, f: 1, g: 1, h: 1, i: 1, j: 1, k: 30 },
      40,
      {
        a: null,
        b: null,
        c: null,
        d: null,
        e: null,
        f: null,
        g: null,
        h: null,
        i: null,
        j: null,
        k: null,
      },
    ],
  ])('%s', (_name, counts, total, expected) => {
    expect(suppressFacet(counts, total, 10).counts).toEqual(expected);
  });

  it('lists the hidden values, smallest first', () => {
    expect(suppressFacet({ a: 50, b: 30, c: 5 }, 85, 10).suppressed).toEqual(['c', 'b']);
    expect(suppressFacet({ a: 50, b: 30 }, 80, 10).suppressed).toEqual([]);
  });

  it.each([0, -1, 2.5, NaN])('refuses a threshold of %s', (t) => {
    expect(() => suppressFacet({ a: 1 }, 1, t)).toThrow('disclosure threshold');
  });

  it('refuses negative or fractional counts', () => {
    expect(() => suppressFacet({ a: -1 }, 1, 10)).toThrow('whole numbers');
    expect(() => suppressFacet({ a: 1.5 }, 2, 10)).toThrow('whole numbers');
  });

  it('fills in the values a facet did not return, so they show as zero rather than vanish', () => {
    expect(withAllValues({ yes: 12 }, ['yes', 'no', 'unknown'])).toEqual({
      yes: 12,
      no: 0,
      unknown: 0,
    });
  });

  it.each([10, 5, 3])(
    'leaves no hidden count recoverable, over 1,000 seeded facets (threshold %i)',
    (t) => {
      const rand = prng(20240 + t);
      let hiddenCells = 0;
      for (let run = 0; run < 1000; run++) {
        const n = 2 + Math.floor(rand() * 9);
        const truth = Array.from({ length: n }, () => randomCount(rand));
        const unattributed = rand() < 0.3 ? Math.floor(rand() * 6) : 0;
        const total = truth.reduce((a, b) => a + b, 0) + unattributed;
        const counts = Object.fromEntries(truth.map((v, i) => [`v${i}`, v]));
        const shown = Object.values(suppressFacet(counts, total, t).counts);
        const all = truth.map((_, i) => i);
        const bounds = attack(truth, shown, [all], [total - unattributed]);
        expectNothingRecoverable(truth, shown, bounds, t);
        expectLinesProtected(truth, shown, [all], t);
        hiddenCells += shown.filter((v) => v === null).length;
      }
      expect(hiddenCells).toBeGreaterThan(500);
    },
  );
});

function tableLines(
  rows: number,
  cols: number,
  opts: TableOptions,
): { lines: number[][]; totals: (truth: number[]) => number[] } {
  const idx = (r: number, c: number): number => r * cols + c;
  const lines: number[][] = [];
  if (opts.rowTotals ?? true)
    for (let r = 0; r < rows; r++) lines.push(Array.from({ length: cols }, (_, c) => idx(r, c)));
  if (opts.colTotals ?? true)
    for (let c = 0; c < cols; c++) lines.push(Array.from({ length: rows }, (_, r) => idx(r, c)));
  lines.push(Array.from({ length: rows * cols }, (_, i) => i));
  return { lines, totals: (truth) => lines.map((line) => line.reduce((a, i) => a + truth[i], 0)) };
}

/**
 * Exhaustive search for another table that agrees with everything published but differs in
 * hidden cell `target`. Feasible only for small tables, which is what it is used on.
 */
function anotherSolutionExists(
  truth: number[],
  shown: (number | null)[],
  lines: number[][],
  target: number,
): boolean {
  const unknown = truth.map((_, i) => i).filter((i) => shown[i] === null);
  const lineSum = lines.map(
    (line) =>
      line.reduce((a, i) => a + truth[i], 0) -
      line.filter((i) => shown[i] !== null).reduce((a, i) => a + truth[i], 0),
  );
  const linesOf = unknown.map((i) =>
    lines.map((line, l) => (line.includes(i) ? l : -1)).filter((l) => l >= 0),
  );
  const partial = lineSum.map(() => 0);
  const remaining = lines.map((line) => line.filter((i) => shown[i] === null).length);
  const floors = readerFloors(shown, lines);
  const value = new Map<number, number>();
  const dfs = (k: number): boolean => {
    if (k === unknown.length) return value.get(target) !== truth[target];
    const i = unknown[k];
    const ls = linesOf[k];
    const lo = floors[i];
    let hi = Math.min(...ls.map((l) => lineSum[l] - partial[l]));
    let from = lo;
    const forced = ls.find((l) => remaining[l] === 1);
    if (forced !== undefined) from = hi = lineSum[forced] - partial[forced];
    for (let v = from; v <= hi; v++) {
      if (v < lo) continue;
      value.set(i, v);
      ls.forEach((l) => {
        partial[l] += v;
        remaining[l] -= 1;
      });
      const ok = dfs(k + 1);
      ls.forEach((l) => {
        partial[l] -= v;
        remaining[l] += 1;
      });
      if (ok) return true;
    }
    return false;
  };
  return dfs(0);
}

/**
 * Small cells that the published totals give away even with every cell hidden (a row total of
 * 7 whose other cells' columns are all zero): no suppression of cells can protect them, so the
 * totals themselves must be suppressed, which is the caller's job.
 */
function givenAwayByTotals(
  truth: number[],
  pinnedWhenBlank: (blank: (number | null)[]) => boolean[],
): Set<number> {
  const pinned = pinnedWhenBlank(truth.map(() => null));
  return new Set(truth.map((_, i) => i).filter((i) => pinned[i] && truth[i] > 0 && truth[i] < 10));
}

describe('suppressTable', () => {
  it('leaves a table with no small cells alone', () => {
    const cells = [
      [12, 40, 0],
      [30, 10, 25],
    ];
    expect(suppressTable(cells, 10)).toEqual(cells);
  });

  it('hides a small cell with partners in its row and column, and one cell closing the rectangle', () => {
    expect(
      suppressTable(
        [
          [3, 40, 50],
          [30, 20, 25],
          [60, 70, 80],
        ],
        10,
      ),
    ).toEqual([
      [null, null, 50],
      [null, null, 25],
      [60, 70, 80],
    ]);
  });

  it('needs partners only along rows when only row totals are published', () => {
    expect(
      suppressTable(
        [
          [3, 40, 50],
          [30, 20, 25],
        ],
        10,
        { colTotals: false },
      ),
    ).toEqual([
      [null, null, 50],
      [30, 20, 25],
    ]);
  });

  it('hides a whole period whose only comments are a few in one theme', () => {
    expect(
      suppressTable(
        [
          [4, 0, 0],
          [30, 20, 25],
          [40, 50, 60],
        ],
        10,
        { colTotals: false },
      ),
    ).toEqual([
      [null, null, null],
      [30, 20, 25],
      [40, 50, 60],
    ]);
  });

  it('refuses ragged tables', () => {
    expect(() => suppressTable([[1, 2], [3]], 10)).toThrow('same length');
  });

  const configs: Array<[string, TableOptions]> = [
    ['row and column totals', {}],
    ['row totals only', { colTotals: false }],
    ['column totals only', { rowTotals: false }],
    ['the grand total only', { rowTotals: false, colTotals: false }],
  ];

  it.each(configs)(
    'leaves no hidden cell recoverable with %s, over 250 seeded tables',
    (_name, opts) => {
      const rand = prng(
        7 + (opts.rowTotals === false ? 1 : 0) + (opts.colTotals === false ? 2 : 0),
      );
      let hidden = 0;
      let givenAway = 0;
      for (let run = 0; run < 250; run++) {
        const rows = 2 + Math.floor(rand() * 6);
        const cols = 2 + Math.floor(rand() * 6);
        const table = Array.from({ length: rows }, () =>
          Array.from({ length: cols }, () => randomCount(rand)),
        );
        const shownTable = suppressTable(table, 10, opts);
        const truth = table.flat();
        const shown = shownTable.flat();
        const { lines, totals } = tableLines(rows, cols, opts);
        const inherent = givenAwayByTotals(truth, (blank) =>
          attack(truth, blank, lines, totals(truth)).map((b) => b.lo === b.hi),
        );
        const bounds = attack(truth, shown, lines, totals(truth));
        expectNothingRecoverable(truth, shown, bounds, 10, inherent);
        expectLinesProtected(truth, shown, lines.length > 1 ? lines.slice(0, -1) : lines, 10);
        hidden += shown.filter((v) => v === null).length;
        givenAway += inherent.size;
      }
      expect(hidden).toBeGreaterThan(1000);
      expect(givenAway).toBeLessThan(hidden / 20);
    },
  );

  it.each(configs)(
    'leaves no hidden cell recoverable by exhaustive search with %s, on small tables',
    (_name, opts) => {
      const rand = prng(
        99 + (opts.rowTotals === false ? 1 : 0) + (opts.colTotals === false ? 2 : 0),
      );
      let checked = 0;
      let pinnedByTotals = 0;
      for (let run = 0; run < 150; run++) {
        const rows = 2 + Math.floor(rand() * 2);
        const cols = 2 + Math.floor(rand() * 2);
        const table = Array.from({ length: rows }, () =>
          Array.from({ length: cols }, () =>
            rand() < 0.6 ? Math.floor(rand() * 10) : 10 + Math.floor(rand() * 8),
          ),
        );
        const shown = suppressTable(table, 10, opts).flat();
        const truth = table.flat();
        const { lines } = tableLines(rows, cols, opts);
        const blank = truth.map(() => null);
        truth.forEach((v, i) => {
          if (shown[i] !== null || v === 0 || v >= 10) return;
          if (anotherSolutionExists(truth, shown, lines, i)) return;
          // Pinned: acceptable only when the totals give it away with every cell hidden.
          const givenAway = !anotherSolutionExists(truth, blank, lines, i);
          expect({ table, cell: i, givenAway }).toEqual({ table, cell: i, givenAway: true });
          pinnedByTotals++;
        });
        checked += shown.filter((x, i) => x === null && truth[i] > 0 && truth[i] < 10).length;
      }
      expect(checked).toBeGreaterThan(100);
      expect(pinnedByTotals).toBeLessThan(checked / 10);
    },
  );
});

describe('demographicFilterBelowThreshold', () => {
  it.each<[number, boolean, number, boolean]>([
    [9, true, 10, true],
    [1, true, 10, true],
    [10, true, 10, false],
    [0, true, 10, false],
    [3, false, 10, false],
    [4, true, 5, true],
    [5, true, 5, false],
  ])(
    '%i hits, demographic filter %s, threshold %i → withhold %s',
    (hits, demographic, t, withhold) => {
      expect(demographicFilterBelowThreshold(hits, demographic, t)).toBe(withhold);
    },
  );
});
