import {
  cellKey,
  cellsFromFacet,
  cellTerms,
  CELL_KEY_BITS,
  keyPart,
  PERTURBATION_TABLE,
  publishBreakdown,
  publishCount,
  RECORD_KEY_RANGE,
  sumCells,
  withAllValues,
  type KeyedCount,
} from './disclosure';
import { seededRandom } from '../../common/seeded-random';

const cell = (keys: number[]): KeyedCount => ({
  count: keys.length,
  keySum: keys.reduce((a, b) => a + keyPart(b), 0),
});

/** Every key sum a cell of n records can have. */
const keySums = (n: number): number[] =>
  Array.from({ length: n * (2 ** CELL_KEY_BITS - 1) + 1 }, (_, k) => k);

/** Every true count a reader who knows the table could be looking at, given a published value. */
function consistentTrueCounts(published: number | null, threshold: number, max = 200): number[] {
  const out: number[] = [];
  for (let n = 0; n <= max; n++) {
    const possible = new Set(
      keySums(n).map((k) => publishCount({ count: n, keySum: k }, threshold)),
    );
    if (possible.has(published)) out.push(n);
  }
  return out;
}

describe('the perturbation table', () => {
  it('has one adjustment per cell key, averaging zero and never more than 2 either way', () => {
    expect(PERTURBATION_TABLE).toHaveLength(RECORD_KEY_RANGE);
    expect(PERTURBATION_TABLE.reduce((a, b) => a + b, 0)).toBe(0);
    const tally = (d: number) => PERTURBATION_TABLE.filter((x) => x === d).length;
    expect([tally(-2), tally(-1), tally(0), tally(1), tally(2)]).toEqual([3, 7, 12, 7, 3]);
  });
});

describe('cellKey', () => {
  it('spreads (count, key sum) pairs evenly over the table', () => {
    const tally = new Array<number>(RECORD_KEY_RANGE).fill(0);
    let pairs = 0;
    for (let n = 1; n < 1000; n++)
      for (const k of keySums(Math.min(n, 100))) {
        tally[cellKey({ count: n, keySum: k })]++;
        pairs++;
      }
    for (const t of tally) expect(Math.abs(t / pairs - 1 / RECORD_KEY_RANGE)).toBeLessThan(0.003);
  });

  it('gives a cell of ten records most of the table, depending on which records they are', () => {
    const keys = new Set(keySums(10).map((k) => cellKey({ count: 10, keySum: k })));
    expect(keys.size).toBeGreaterThanOrEqual(8);
  });
});

describe('publishCount', () => {
  it.each([
    ['an empty cell', 0, 0, null],
    ['one record', 1, 1, null],
    ['nine records', 9, 0, null],
    ['nine records moved up to the threshold (+2)', 9, 4, 11],
    ['a large cell left as it is', 120, 0, 120],
    ['a large cell moved up one', 120, 1, 121],
    ['a large cell moved down two', 120, 9, 118],
    ['the same count with another key sum', 120, 6, 122],
    ['ten records taken below the threshold', 10, 7, null],
  ])('%s', (_name, count, keySum, expected) => {
    expect(publishCount({ count, keySum }, 10)).toBe(expected);
  });

  it('shows 0 and every count from 1 to 7 alike: no zero oracle', () => {
    const shown = new Set<number | null>();
    for (let n = 0; n <= 7; n++) {
      for (const k of keySums(n)) shown.add(publishCount({ count: n, keySum: k }, 10));
    }
    expect([...shown]).toEqual([null]);
  });

  it('gives the same published count for the same records however they are listed', () => {
    const rand = seededRandom(7);
    const keys = Array.from({ length: 57 }, () => Math.floor(rand() * RECORD_KEY_RANGE));
    const first = publishCount(cell(keys), 10);
    for (let i = 0; i < 50; i++) {
      const shuffled = [...keys].sort(() => rand() - 0.5);
      expect(publishCount(cell(shuffled), 10)).toBe(first);
    }
  });

  it('never moves a count by more than 2, and keeps the mean error small', () => {
    const rand = seededRandom(11);
    let totalError = 0;
    let cells = 0;
    for (let i = 0; i < 5000; i++) {
      const n = 10 + Math.floor(rand() * 500);
      const keys = Array.from({ length: n }, () => Math.floor(rand() * RECORD_KEY_RANGE));
      const p = publishCount(cell(keys), 10);
      if (p === null) continue;
      expect(Math.abs(p - n)).toBeLessThanOrEqual(2);
      totalError += Math.abs(p - n);
      cells++;
    }
    expect(totalError / cells).toBeGreaterThan(0.6);
    expect(totalError / cells).toBeLessThan(1.0);
  });

  it('refuses a bad threshold or count', () => {
    expect(() => publishCount({ count: 3, keySum: 0 }, 0)).toThrow(RangeError);
    expect(() => publishCount({ count: -1, keySum: 0 }, 10)).toThrow(RangeError);
  });
});

describe('differencing against published counts', () => {
  // 300 comments: 280 White, 12 Asian, 5 Mixed, 3 Black (the attack in the issue).
  it('a complement total minus the exact total leaves several possible small counts', () => {
    const rand = seededRandom(3);
    for (let trial = 0; trial < 200; trial++) {
      const keys = Array.from({ length: 300 }, () => Math.floor(rand() * RECORD_KEY_RANGE));
      const complement = cell(keys.slice(0, 297));
      const published = publishCount(complement, 10)!;
      const candidates = consistentTrueCounts(published, 10, 300).map((n) => 300 - n);
      // The reader knows the total (300) exactly; the Black count could be any of these.
      expect(candidates.length).toBeGreaterThanOrEqual(4);
      expect(candidates).toContain(3);
    }
  });
});

describe('cellTerms', () => {
  it.each([
    [0, ['white']],
    [1, ['white', 'white#0']],
    [8, ['white']],
    [31, ['white', 'white#0']],
  ])('key %i gives the value and one term per key-part bit set', (key, terms) => {
    expect(cellTerms('white', key)).toEqual(terms);
  });

  it('refuses a key outside the range', () => {
    expect(() => cellTerms('white', 32)).toThrow(RangeError);
    expect(() => cellTerms('white', -1)).toThrow(RangeError);
  });
});

describe('cellsFromFacet', () => {
  /** The facet the index would count over these records: one count per term. */
  function facetOf(records: Array<{ group: string; key: number }>): Record<string, number> {
    const facet: Record<string, number> = {};
    for (const r of records)
      for (const t of cellTerms(r.group, r.key)) facet[t] = (facet[t] ?? 0) + 1;
    return facet;
  }

  it('counts each value and adds its records’ key parts bit by bit', () => {
    const cells = cellsFromFacet(
      facetOf([
        { group: 'black', key: 3 },
        { group: 'black', key: 30 },
        { group: 'black', key: 3 },
        { group: '65-74', key: 5 },
        { group: '85+', key: 16 },
      ]),
    );
    expect(cells.get('black')).toEqual({ count: 3, keySum: 2 });
    expect(cells.get('65-74')).toEqual({ count: 1, keySum: 1 });
    expect(cells.get('85+')).toEqual({ count: 1, keySum: 0 });
  });

  it('ignores bit terms beyond the key part, left by documents indexed before', () => {
    const cells = cellsFromFacet({ white: 20, 'white#0': 9, 'white#3': 11, 'white#4': 2 });
    expect([...cells.entries()]).toEqual([['white', { count: 20, keySum: 9 }]]);
  });

  it('gives the key sum PostgreSQL gives for the same records', () => {
    const rand = seededRandom(5);
    const records = Array.from({ length: 400 }, () => ({
      group: ['a', 'b', 'c'][Math.floor(rand() * 3)],
      key: Math.floor(rand() * RECORD_KEY_RANGE),
    }));
    const cells = cellsFromFacet(facetOf(records));
    for (const g of ['a', 'b', 'c']) {
      const sql = cell(records.filter((r) => r.group === g).map((r) => r.key));
      expect(cells.get(g)).toEqual(sql);
    }
  });
});

describe('publishBreakdown', () => {
  it('lists every value, orders by published count only, and hides small and empty cells alike', () => {
    const cells = new Map<string, KeyedCount>([
      ['white', { count: 280, keySum: 0 }],
      ['asian', { count: 12, keySum: 1 }],
      ['mixed', { count: 5, keySum: 0 }],
      ['black', { count: 3, keySum: 0 }],
    ]);
    const values = ['asian', 'black', 'mixed', 'white', 'other', 'unknown'];
    const out = publishBreakdown(cells, values, 10);
    expect(out.counts).toEqual({
      white: 280,
      asian: 12,
      black: null,
      mixed: null,
      other: null,
      unknown: null,
    });
    expect(Object.keys(out.counts)).toEqual([
      'white',
      'asian',
      'black',
      'mixed',
      'other',
      'unknown',
    ]);
    expect(out.suppressed).toEqual(['black', 'mixed', 'other', 'unknown']);
  });

  it('a breakdown of zeros and one of small counts look the same', () => {
    const values = ['a', 'b', 'c'];
    const small = new Map([
      ['a', { count: 4, keySum: 17 }],
      ['c', { count: 1, keySum: 2 }],
    ]);
    expect(publishBreakdown(small, values, 10)).toEqual(publishBreakdown(new Map(), values, 10));
  });

  it('sums cells for totals', () => {
    expect(sumCells([cell([1, 2]), cell([31])])).toEqual({ count: 3, keySum: 2 });
  });
});

describe('withAllValues', () => {
  it('adds every listed value, zero when missing, and keeps unlisted ones', () => {
    expect(withAllValues({ b: 2, z: 1 }, ['a', 'b'])).toEqual({ a: 0, b: 2, z: 1 });
  });
});
