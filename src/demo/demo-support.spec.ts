import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findPackageRoot, loadDemoPlaces } from './demo-places.loader';
import { MAIN_TOWNS } from './feedback.phrases';
import { SeededRandom, WeightedChoice } from './seeded-random';

describe('SeededRandom', () => {
  it('repeats its sequence for a seed and differs between neighbouring seeds', () => {
    const draw = (seed: number): number[] => {
      const r = new SeededRandom(seed);
      return Array.from({ length: 50 }, () => r.next());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    expect(draw(0)).not.toEqual(draw(1));
  });

  it('spreads integers evenly over their range', () => {
    const r = new SeededRandom(42);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[r.below(10)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    for (let i = 0; i < 1000; i++) {
      const n = r.between(3, 5);
      expect(n >= 3 && n <= 5).toBe(true);
    }
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])('rejects the seed %p', (seed) => {
    expect(() => new SeededRandom(seed)).toThrow(RangeError);
  });
});

describe('WeightedChoice', () => {
  it('draws in proportion to weight and never draws a zero weight', () => {
    const choice = new WeightedChoice([
      ['a', 3],
      ['never', 0],
      ['b', 1],
    ]);
    const r = new SeededRandom(7);
    const seen = { a: 0, b: 0, never: 0 };
    for (let i = 0; i < 40_000; i++) seen[choice.draw(r) as keyof typeof seen]++;
    expect(seen.never).toBe(0);
    expect(seen.a / seen.b).toBeGreaterThan(2.7);
    expect(seen.a / seen.b).toBeLessThan(3.3);
  });

  it('refuses a table with no positive weight', () => {
    expect(() => new WeightedChoice([['a', 0]])).toThrow(/positive weight/);
  });
});

describe('loadDemoPlaces', () => {
  it('ties every town to a district and every outcode to a known district', () => {
    const places = loadDemoPlaces(MAIN_TOWNS);
    expect(places.towns).toHaveLength(MAIN_TOWNS.length);
    expect(places.townsByDistrict.size).toBe(places.districtNames.size);
    expect(places.outcodes).toContain('ME14');
    const swanley = places.districtOfOutcode.get('BR8') ?? '';
    expect(places.townsByDistrict.get(swanley)).toContain('Swanley');
    expect(places.districtNames.get(swanley)?.[0]).toBe('Sevenoaks');
  });

  it('names a town the place data does not know', () => {
    expect(() => loadDemoPlaces(['Maidstone', 'Atlantis'])).toThrow(/Atlantis/);
  });

  it('rejects a file without the expected sections', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-places-'));
    const file = path.join(dir, 'places.json');
    fs.writeFileSync(file, JSON.stringify({ districts: [] }));
    try {
      expect(() => loadDemoPlaces([], file)).toThrow(/postcodeDistricts/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds the folder holding package.json', () => {
    expect(fs.existsSync(path.join(findPackageRoot(), 'data', 'places'))).toBe(true);
  });
});
