import { expandSynonymGroups, NHS_SYNONYMS, SYNONYM_GROUPS } from './synonyms';

describe('NHS synonyms', () => {
  it('has at least 30 groups of lower-case, trimmed terms', () => {
    expect(SYNONYM_GROUPS.length).toBeGreaterThanOrEqual(30);
    for (const group of SYNONYM_GROUPS) {
      expect(group.length).toBeGreaterThanOrEqual(2);
      for (const term of group) expect(term).toBe(term.trim().toLowerCase());
    }
  });

  it.each<[string, string[]]>([
    ['gp', ['doctor', 'surgery', 'general practice']],
    ['a&e', ['ed', 'emergency department', 'casualty']],
    ['casualty', ['a&e', 'ed', 'emergency department']],
    ['111', ['nhs 111']],
    ['camhs', ["children's mental health services"]],
    ['ambulance', ['paramedic']],
    ['pharmacy', ['chemist']],
    ['receptionist', ['reception', 'front desk']],
    ['appointment', ['appt']],
    ['physio', ['physiotherapy']],
    ['ot', ['occupational therapy']],
  ])('%s finds %j', (term, expected) => {
    expect(NHS_SYNONYMS[term]).toEqual(expect.arrayContaining(expected));
  });

  it('is symmetric within a group and never maps a term to itself', () => {
    for (const [term, others] of Object.entries(NHS_SYNONYMS)) {
      expect(others).not.toContain(term);
      for (const other of others) expect(NHS_SYNONYMS[other]).toContain(term);
    }
  });

  it('expands groups into the one-directional map Meilisearch expects', () => {
    expect(expandSynonymGroups([['A', 'b', 'c d']])).toEqual({
      a: ['b', 'c d'],
      b: ['a', 'c d'],
      'c d': ['a', 'b'],
    });
  });

  it.each<[string, string[][], RegExp]>([
    [
      'a term in two groups',
      [
        ['gp', 'doctor'],
        ['doctor', 'medic'],
      ],
      /'doctor' is in groups 1 and 2/,
    ],
    ['a term twice in a group', [['gp', 'GP']], /group 1 repeats a term/],
    ['an empty term', [['gp', ' ']], /group 1 has an empty term/],
  ])('refuses %s', (_name, groups, message) => {
    expect(() => expandSynonymGroups(groups)).toThrow(message);
  });
});
