import {
  evaluateMultiLabel,
  formatReport,
  randomSplit,
  sentimentAccuracy,
  splitByGroup,
} from './evaluate';

describe('evaluateMultiLabel', () => {
  // gold: a a a b c ; predicted: a a b b a
  const gold = [['a'], ['a'], ['a'], ['b'], ['c']];
  const predicted = [['a'], ['a'], ['b'], ['b', 'c'], ['a']];
  const r = evaluateMultiLabel(gold, predicted);

  it.each([
    ['a', 2 / 3, 2 / 3, 3],
    ['b', 1 / 2, 1, 1],
    ['c', 0, 0, 1],
  ])('per-label figures for %s', (label, precision, recall, support) => {
    expect(r.perLabel[label].precision).toBeCloseTo(precision);
    expect(r.perLabel[label].recall).toBeCloseTo(recall);
    expect(r.perLabel[label].support).toBe(support);
  });

  it('computes overall figures', () => {
    // tp 3, fp 3, fn 2
    expect(r.microF1).toBeCloseTo((2 * 3) / (2 * 3 + 3 + 2));
    expect(r.exactMatch).toBeCloseTo(2 / 5);
    expect(r.accuracyTop1).toBeCloseTo(3 / 5);
    expect(r.classBalanceAccuracy).toBeCloseTo((2 / 3 + 1 + 0) / 3);
    // Mosley: a 2/max(3,3), b 1/max(1,2), c 0
    expect(r.mosleyClassBalanceAccuracy).toBeCloseTo((2 / 3 + 1 / 2 + 0) / 3);
    expect(r.macroF1).toBeCloseTo((2 / 3 + 2 / 3 + 0) / 3);
  });

  it('leaves out top-1 accuracy for multi-label gold', () => {
    expect(evaluateMultiLabel([['a', 'b']], [['a']]).accuracyTop1).toBeUndefined();
  });

  it('refuses mismatched lengths', () => {
    expect(() => evaluateMultiLabel([['a']], [])).toThrow('gold has 1 rows but predictions have 0');
  });

  it('formats a table with the baseline beside', () => {
    const text = formatReport('Demo', r, {
      name: 'baseline',
      accuracy: 0.7,
      classBalanceAccuracy: 0.55,
    });
    expect(text).toContain('| a | 0.667 | 0.667 | 0.667 | 3 |');
    expect(text).toContain('| accuracy (top-1) | 0.600 | 0.700 |');
  });
});

describe('sentimentAccuracy', () => {
  it('is the share of exact matches', () => {
    expect(
      sentimentAccuracy(
        ['positive', 'negative', 'neutral', 'positive'],
        ['positive', 'neutral', 'neutral', 'negative'],
      ),
    ).toBe(0.5);
  });
});

describe('splits', () => {
  const rows = Array.from({ length: 100 }, (_, i) => ({
    id: i,
    org: `org${i % 3}`,
    text: `t${i % 10}`,
  }));

  it('splits by group', () => {
    const s = splitByGroup(rows, (r) => r.org, 'org1');
    expect(s.test.every((r) => r.org === 'org1')).toBe(true);
    expect(s.train.some((r) => r.org === 'org1')).toBe(false);
    expect(s.train.length + s.test.length).toBe(100);
  });

  it('splits randomly, reproducibly, with the asked share', () => {
    const a = randomSplit(rows, 0.2, 1);
    expect(a.test).toHaveLength(20);
    expect(randomSplit(rows, 0.2, 1).test.map((r) => r.id)).toEqual(a.test.map((r) => r.id));
    expect(randomSplit(rows, 0.2, 2).test.map((r) => r.id)).not.toEqual(a.test.map((r) => r.id));
  });

  it('keeps a group on one side when asked', () => {
    const s = randomSplit(rows, 0.3, 1, (r) => r.text);
    const trainTexts = new Set(s.train.map((r) => r.text));
    expect(s.test.some((r) => trainTexts.has(r.text))).toBe(false);
  });
});
