import { checkValueMap, combineValueMaps, lookUpCode } from './value-map.util';

describe('checkValueMap', () => {
  it('accepts field -> code -> answer, keyed by the code trimmed and in lower case', () => {
    const { valueMap, problems } = checkValueMap({
      religion: { ' 7 ': 'Sikh', C: 'Christian' },
      carer: { Yes: 'yes', YES: 'yes' },
    });
    expect(problems).toEqual([]);
    expect({ ...valueMap?.religion }).toEqual({ '7': 'Sikh', c: 'Christian' });
    expect({ ...valueMap?.carer }).toEqual({ yes: 'yes' });
  });

  it.each([
    [[], 'valueMap must be a JSON object of fields'],
    ['religion', 'valueMap must be a JSON object of fields'],
    [{ Religion: { '7': 'Sikh' } }, 'valueMap: unknown field "Religion"'],
    [{ text: { a: 'b' } }, 'valueMap: "text" is not a field whose answers can be mapped'],
    [{ religion: ['Sikh'] }, 'valueMap.religion must be an object of code to answer'],
    [{ religion: 'Sikh' }, 'valueMap.religion must be an object of code to answer'],
    [{ religion: { '7': 7 } }, 'valueMap.religion."7" must be an answer written as text'],
    [{ religion: { '7': '  ' } }, 'valueMap.religion."7" must be an answer written as text'],
    [{ religion: { ' ': 'Sikh' } }, 'valueMap.religion has an empty code'],
    [
      { religion: { s: 'Sikh', S: 'Straight' } },
      'valueMap.religion: codes "s" and "S" are the same code',
    ],
  ])('refuses %j naming the problem', (raw, message) => {
    const { valueMap, problems } = checkValueMap(raw);
    expect(valueMap).toBeUndefined();
    expect(problems).toEqual([expect.stringContaining(message)]);
  });

  it('lists the fields a value map may name', () => {
    expect(checkValueMap({ colour: {} }).problems[0]).toContain(
      'fields are age, sex, gender, ethnicity, disability, carer, sexuality, religion, deprivationDecile',
    );
  });
});

describe('combineValueMaps and lookUpCode', () => {
  it('a later map wins over an earlier one, per code; codes match trimmed and ignoring case', () => {
    const combined = combineValueMaps(
      { religion: { C: 'christian', S: 'sikh' } },
      { religion: { c: 'Catholic' } },
    );
    expect(lookUpCode(combined.religion, ' C ')).toBe('Catholic');
    expect(lookUpCode(combined.religion, 's')).toBe('sikh');
    expect(lookUpCode(combined.religion, 'x')).toBeUndefined();
    expect(lookUpCode(combined.religion, 'toString')).toBeUndefined();
    expect(lookUpCode(undefined, 'C')).toBeUndefined();
  });
});
