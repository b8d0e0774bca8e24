import type { Theme } from '../enrichment/tagging/taxonomy';
import { cleanQuery, countText, pagination, themeGroups, urlWith, valuesOf } from './search-view';

describe('cleanQuery', () => {
  it('drops empty values and parameters the page sets itself', () => {
    expect(
      cleanQuery({
        q: 'bus',
        dateFrom: '',
        sourceType: ['survey', ''],
        hcpArea: ['', ''],
        facets: 'theme',
        pageSize: '100',
        highlight: 'false',
        page: undefined,
      }),
    ).toEqual({ q: 'bus', sourceType: 'survey' });
  });
});

describe('valuesOf', () => {
  it('splits comma lists, except HCP areas whose names hold commas', () => {
    expect(valuesOf({ theme: 'a,b', sentiment: ['negative'] }, 'theme')).toEqual(['a', 'b']);
    expect(valuesOf({ hcpArea: 'Dartford, Gravesham and Swanley' }, 'hcpArea')).toEqual([
      'Dartford, Gravesham and Swanley',
    ]);
    expect(valuesOf({}, 'theme')).toEqual([]);
  });
});

describe('urlWith', () => {
  it('keeps repeated parameters, applies changes and removes undefined ones', () => {
    expect(
      urlWith(
        '/search',
        { q: 'a&b', sourceType: ['survey', 'fft'], page: '2' },
        { page: undefined },
      ),
    ).toBe('/search?q=a%26b&sourceType=survey&sourceType=fft');
    expect(urlWith('/search', {})).toBe('/search');
  });
});

describe('countText', () => {
  const facets = { ageBand: { '18-24': null, '25-34': 1234 }, sex: {} };
  it.each([
    ['ageBand', '25-34', '1,234'],
    ['ageBand', '18-24', 'fewer than 10'],
    ['ageBand', '85+', '0'],
    ['religion', 'christian', null],
  ])('%s=%s → %p', (name, value, expected) => {
    expect(countText(facets, name, value, 10)).toBe(expected);
  });
});

describe('pagination', () => {
  const link = (n: number) => `/search?page=${n}`;

  it('is absent for one page', () => {
    expect(pagination(20, 1, 20, 1000, link)).toBeNull();
  });

  it('shows the first, last and two either side, with gaps', () => {
    const p = pagination(200, 5, 10, 1000, link)!;
    expect(p.previous).toEqual({ href: '/search?page=4' });
    expect(p.next).toEqual({ href: '/search?page=6' });
    expect(p.items.map((i) => (i.ellipsis ? '…' : `${i.number}${i.current ? '*' : ''}`))).toEqual([
      '1',
      '…',
      '3',
      '4',
      '5*',
      '6',
      '7',
      '…',
      '20',
    ]);
  });

  it('stops at the deepest page the index can reach', () => {
    const p = pagination(50_000, 1, 20, 1000, link)!;
    expect(p.items.at(-1)).toMatchObject({ number: 50 });
  });
});

describe('themeGroups', () => {
  const theme = (code: string, parentCode: string | null, kind: Theme['kind']): Theme => ({
    code,
    name: code.toUpperCase(),
    parentCode,
    kind,
    description: '',
    lexicon: { phrases: [] },
  });
  const themes = [
    theme('access', null, 'category'),
    theme('appointments', 'access', 'sub_theme'),
    theme('staff', null, 'category'),
    theme('gp', null, 'service_area'),
    theme('prevention', null, 'strategy'),
  ];

  it('groups each category with its sub-themes, then strategies and service areas, with counts', () => {
    const groups = themeGroups(
      themes,
      { theme: 'appointments' },
      { theme: { appointments: 3 } },
      10,
    );
    expect(groups.map((g) => [g.key, g.open, g.items.map((i) => i.text)])).toEqual([
      ['access', true, ['Any access (0)', 'APPOINTMENTS (3)']],
      ['staff', false, ['Any staff (0)']],
      ['strategy', false, ['PREVENTION (0)']],
      ['service_area', false, ['GP (0)']],
    ]);
    expect(groups[0].items[1]).toMatchObject({ value: 'appointments', checked: true });
  });
});
