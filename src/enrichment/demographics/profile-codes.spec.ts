import { PROFILES, type ValueMapField } from '../../../ingestion';
import { normaliseDemographics, type Demographics } from './demographics';

const OUTPUT: Record<ValueMapField, keyof Demographics> = {
  age: 'ageBand',
  sex: 'sex',
  gender: 'genderIdentity',
  ethnicity: 'ethnicityGroup',
  disability: 'disability',
  carer: 'carer',
  sexuality: 'sexualOrientation',
  religion: 'religion',
  deprivationDecile: 'deprivationDecile',
};

describe("profiles' codes for answers", () => {
  const cases = Object.values(PROFILES).flatMap((p) =>
    Object.entries(p.values ?? {}).flatMap(([field, codes]) =>
      Object.entries(codes).map(([code, answer]) => [p.name, field, code, answer]),
    ),
  );

  it('the national patient experience shape has codes', () => {
    expect(cases.filter(([p]) => p === 'national-patient-experience').length).toBeGreaterThan(40);
  });

  it.each(cases)('%s %s %s -> "%s" is an answer the normaliser places', (_p, field, _c, answer) => {
    const d = normaliseDemographics({ [field]: answer });
    expect(d.unrecognised).toEqual([]);
  });

  it.each([
    ['sexuality', 'S', 'heterosexual'],
    ['sexuality', 'G', 'gay_or_lesbian'],
    ['sexuality', 'L', 'gay_or_lesbian'],
    ['sexuality', 'B', 'bisexual'],
    ['sexuality', '1', 'heterosexual'],
    ['sexuality', '2', 'gay_or_lesbian'],
    ['sexuality', '4', 'other'],
    ['sexuality', 'U', 'unknown'],
    ['sexuality', 'Z', 'prefer_not_to_say'],
    ['sexuality', '9', 'unknown'],
    ['religion', 'C', 'christian'],
    ['religion', 'M', 'muslim'],
    ['religion', 'S', 'sikh'],
    ['religion', 'N', 'no_religion'],
    ['religion', 'Z', 'prefer_not_to_say'],
    ['disability', 'Y', 'yes'],
    ['disability', 'N', 'no'],
    ['carer', '0', 'no'],
    ['carer', '1', 'yes'],
    ['gender', '3', 'non_binary'],
  ] as Array<[ValueMapField, string, string]>)(
    'national shape: %s %s is %s',
    (field, code, expected) => {
      const answer = PROFILES['national-patient-experience'].values?.[field]?.[code];
      expect(answer).toBeDefined();
      const d = normaliseDemographics({ [field]: answer });
      expect(d[OUTPUT[field]]).toBe(expected);
    },
  );
});
