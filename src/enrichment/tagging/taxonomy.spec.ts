import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { loadDefaultTaxonomy, loadTaxonomy, TaxonomyValidationError, type Theme } from './taxonomy';

const repoRoot = path.resolve(__dirname, '../../..');
const frameworkCsv = path.resolve(
  repoRoot,
  '../shared/data/taxonomy/nhs-patient-experience-framework.csv',
);

function theme(code: string, parentCode: string | null, kind: Theme['kind'] = 'category'): Theme {
  return { code, name: code, parentCode, kind, description: '', lexicon: { phrases: [] } };
}

function problemsOf(themes: unknown[]): string[] {
  try {
    loadTaxonomy({ version: 'test', themes });
  } catch (e) {
    if (e instanceof TaxonomyValidationError) return e.problems;
    throw e;
  }
  return [];
}

describe('loadTaxonomy validation', () => {
  it.each<[string, unknown[], string]>([
    ['duplicate code', [theme('staff', null), theme('staff', null)], 'duplicate code "staff"'],
    [
      'unknown parent',
      [theme('rude', 'staff', 'sub_theme')],
      'theme "rude": unknown parent "staff"',
    ],
    [
      'cycle',
      [theme('a', 'b', 'strategy'), theme('b', 'c', 'strategy'), theme('c', 'a', 'strategy')],
      'cycle in parents: a -> b -> c -> a',
    ],
    [
      'sub-theme without parent',
      [theme('x', null, 'sub_theme')],
      'theme "x": a sub_theme needs a parentCode',
    ],
    [
      'bad code',
      [theme('Staff Manner', null)],
      'themes[0].code must be a lower-case slug (got "Staff Manner")',
    ],
    [
      'bad kind',
      [{ ...theme('x', null), kind: 'topic' }],
      'theme "x": kind must be one of category, sub_theme, strategy, service_area',
    ],
    [
      'lexicon missing',
      [{ ...theme('x', null), lexicon: { phrase: ['a'] } }],
      'theme "x": lexicon.phrases must be an array of strings',
    ],
  ])('rejects a taxonomy with a %s', (_name, themes, expected) => {
    expect(problemsOf(themes)).toContain(expected);
  });

  it('reports every problem at once and names them in the message', () => {
    const problems = problemsOf([theme('a', 'zz'), theme('a', null), theme('b', 'a', 'strategy')]);
    expect(problems).toEqual(['duplicate code "a"', 'theme "a": unknown parent "zz"']);
    expect(() =>
      loadTaxonomy({ version: '1', themes: [theme('a', 'zz'), theme('a', null)] }),
    ).toThrow('Invalid taxonomy: duplicate code "a"; theme "a": unknown parent "zz"');
  });

  it('accepts a valid tree and answers ancestry questions', () => {
    const t = loadTaxonomy({
      version: '1',
      themes: [theme('staff', null), theme('rude', 'staff', 'sub_theme')],
    });
    expect(t.ancestry('rude')).toEqual(['rude', 'staff']);
    expect(t.children('staff').map((c) => c.code)).toEqual(['rude']);
  });
});

describe('default taxonomy', () => {
  const taxonomy = loadDefaultTaxonomy();

  it('holds every category and sub-theme of the national framework, under the right parent', () => {
    if (!fs.existsSync(frameworkCsv)) {
      console.warn(`framework file not found at ${frameworkCsv}; skipping the completeness check`);
      return;
    }
    const rows = parse<Record<string, string>>(fs.readFileSync(frameworkCsv, 'utf8'), {
      columns: true,
      bom: true,
    });
    expect(rows).toHaveLength(33);
    const byName = new Map(taxonomy.themes.map((t) => [t.name, t]));
    const missing: string[] = [];
    for (const row of rows) {
      const category = byName.get(row.category);
      const sub = byName.get(row.sub_theme);
      if (category?.kind !== 'category') missing.push(`category ${row.category}`);
      if (sub?.kind !== 'sub_theme' || sub.parentCode !== category?.code)
        missing.push(`sub-theme ${row.sub_theme}`);
    }
    expect(missing).toEqual([]);
    expect(new Set(rows.map((r) => r.category)).size).toBe(10);
  });

  it.each([
    'gp',
    'hospital',
    'mental_health',
    'community',
    'urgent_emergency_care',
    'dental',
    'pharmacy',
    'maternity',
    'social_care',
    'nhs111_ambulance',
  ])('has service area %s', (code) => {
    expect(taxonomy.byCode(code)?.kind).toBe('service_area');
  });

  it.each([
    'health_inequalities',
    'prevention',
    'digital_access',
    'cost_of_living',
    'transport',
    'carers',
    'children_young_people',
  ])('has strategy theme %s', (code) => {
    expect(taxonomy.byCode(code)?.kind).toBe('strategy');
  });

  it('gives every theme a description', () => {
    expect(taxonomy.themes.filter((t) => t.description.trim() === '').map((t) => t.code)).toEqual(
      [],
    );
  });
});
