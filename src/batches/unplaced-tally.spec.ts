import { UnplacedTally } from './unplaced-tally';

describe('UnplacedTally', () => {
  it('counts answers per field and keeps the most frequent, ties alphabetically', () => {
    const t = new UnplacedTally();
    for (const v of ['7', '7', '7', 'Jedi', 'Q', 'Q']) t.add('religion', v);
    t.add('sexuality', 'Q');
    t.add('sexuality', '');
    expect(t.list(2)).toEqual({
      religion: [
        { value: '7', count: 3 },
        { value: 'Q', count: 2 },
      ],
      sexuality: [{ value: 'Q', count: 1 }],
    });
  });

  it("sums the tallies chunks stored, keeping each chunk's top answers", () => {
    const t = new UnplacedTally();
    t.addAll({ religion: { '7': 3, Jedi: 1 } });
    t.addAll({ religion: { '7': 2, '8': 4 }, carer: { C: 1 } });
    t.addAll(null);
    expect(t.top(2)).toEqual({ carer: { C: 1 }, religion: { '7': 5, '8': 4 } });
    expect(t.empty).toBe(false);
    expect(new UnplacedTally().empty).toBe(true);
  });

  it('an answer that names an object property is an answer like any other', () => {
    const t = new UnplacedTally();
    t.add('religion', '__proto__');
    t.add('religion', 'constructor');
    const top = t.top(10);
    expect(Object.keys(top.religion).sort()).toEqual(['__proto__', 'constructor']);
    expect(JSON.stringify(top)).toBe('{"religion":{"__proto__":1,"constructor":1}}');
  });
});
