import { everyPeriod } from './trend-periods';

describe('everyPeriod', () => {
  it.each([
    ['month', ['2023-12-01', '2024-02-01'], ['2023-12-01', '2024-01-01', '2024-02-01']],
    [
      'quarter',
      ['2023-10-01', '2024-07-01'],
      ['2023-10-01', '2024-01-01', '2024-04-01', '2024-07-01'],
    ],
    ['week', ['2024-02-26', '2024-03-11'], ['2024-02-26', '2024-03-04', '2024-03-11']],
    ['month', ['2024-03-01'], ['2024-03-01']],
    ['month', [], []],
  ] as const)('fills the gaps of %s periods %j', (interval, given, expected) => {
    expect(everyPeriod(given, interval)).toEqual(expected);
  });

  it('keeps the given periods in order whatever order they come in', () => {
    expect(everyPeriod(['2024-03-01', '2024-01-01'], 'month')).toEqual([
      '2024-01-01',
      '2024-02-01',
      '2024-03-01',
    ]);
  });
});
