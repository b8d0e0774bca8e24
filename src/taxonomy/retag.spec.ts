import type { InsightTheme } from '../insights/insight.entity';
import { mergeRetag, sameThemes } from './retag';

const rule = (code: string, confidence = 0.75): InsightTheme => ({
  code,
  provenance: 'rule',
  confidence,
});
const human = (code: string): InsightTheme => ({ code, provenance: 'human', confidence: 1 });
const model = (code: string, confidence = 0.6): InsightTheme => ({
  code,
  provenance: 'model',
  confidence,
});

describe('mergeRetag', () => {
  const active = (code: string) => code !== 'retired';
  const cases: Array<{
    name: string;
    current: InsightTheme[];
    fresh: InsightTheme[];
    rejected?: string[];
    expected: InsightTheme[];
  }> = [
    {
      name: 'replaces old rule tags with the fresh ones',
      current: [rule('parking')],
      fresh: [rule('waiting_times')],
      expected: [rule('waiting_times')],
    },
    {
      name: 'keeps human tags untouched, even on a retired theme',
      current: [human('retired'), rule('parking')],
      fresh: [],
      expected: [human('retired')],
    },
    {
      name: 'a human tag wins over a fresh rule tag for the same theme',
      current: [human('parking')],
      fresh: [rule('parking', 0.6)],
      expected: [human('parking')],
    },
    {
      name: 'does not bring back a rejected theme',
      current: [],
      fresh: [rule('parking'), rule('staff_attitude')],
      rejected: ['parking'],
      expected: [rule('staff_attitude')],
    },
    {
      name: 'keeps model tags on active themes and drops those on retired ones',
      current: [model('access'), model('retired')],
      fresh: [],
      expected: [model('access')],
    },
    {
      name: 'prefers the fresh rule tag over a model tag for the same theme',
      current: [model('access', 0.5)],
      fresh: [rule('access', 0.85)],
      expected: [rule('access', 0.85)],
    },
  ];
  it.each(cases)('$name', ({ current, fresh, rejected, expected }) => {
    expect(mergeRetag(current, fresh, active, new Set(rejected ?? []))).toEqual(expected);
  });
});

describe('sameThemes', () => {
  it.each([
    [[rule('a'), rule('b')], [rule('b'), rule('a')], true],
    [[rule('a')], [human('a')], false],
    [[rule('a', 0.6)], [rule('a', 0.75)], false],
    [[rule('a')], [], false],
  ])('%j vs %j -> %s', (a, b, expected) => {
    expect(sameThemes(a, b)).toBe(expected);
  });
});
