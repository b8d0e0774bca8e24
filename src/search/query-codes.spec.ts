import { isCodeLike, protectCodes } from './query-codes';

describe('protectCodes: codes in a query are matched exactly', () => {
  it.each([
    ['ME10', '"ME10"'],
    ['parking ME10', 'parking "ME10"'],
    ['me10 4dd', '"me10" "4dd"'],
    ['Practice G82045 phones', 'Practice "G82045" phones'],
    ['CT9 and TN23', '"CT9" and "TN23"'],
    ['appointment', 'appointment'],
    ['111', '111'],
    ['A&E', 'A&E'],
    ['"ME10 bus" ME11', '"ME10 bus" "ME11"'],
    ['open "quote ME10', 'open "quote "ME10"'],
    ['', ''],
  ])('%j → %j', (q, expected) => {
    expect(protectCodes(q)).toBe(expected);
  });

  it.each(['nurse', 'covid19x', '2024', 'B12345678', 'mental'])('%s is not a code', (t) => {
    expect(isCodeLike(t)).toBe(false);
  });

  it.each(['ME1', 'DA11', 'SW1A', 'G82045', '4DD', 'E1'])('%s is a code', (t) => {
    expect(isCodeLike(t)).toBe(true);
  });
});
