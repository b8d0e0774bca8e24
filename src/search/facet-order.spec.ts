import { byCount } from './search.service';

describe('byCount', () => {
  it('orders facet values most frequent first, ties by value, keeping every count', () => {
    const counted = byCount({ access: 5, staff: 40, waiting: 40, cost: 1, booking: 12 });
    expect(Object.entries(counted)).toEqual([
      ['staff', 40],
      ['waiting', 40],
      ['booking', 12],
      ['access', 5],
      ['cost', 1],
    ]);
  });

  it('leaves an empty distribution empty', () => {
    expect(byCount({})).toEqual({});
  });
});
