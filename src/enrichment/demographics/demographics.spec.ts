import { Demographics, DemographicsInput, normaliseDemographics } from './demographics';

type Field = Exclude<keyof DemographicsInput, 'referenceYear'>;

/** What a user filtering by each field would see for a given answer. */
function shown(field: Field, d: Demographics): string | number | null {
  switch (field) {
    case 'age':
      return d.ageBand;
    case 'sex':
      return d.sex;
    case 'gender':
      return d.genderIdentity;
    case 'ethnicity':
      return `${d.ethnicityGroup}/${d.ethnicityDetail}`;
    case 'disability':
      return d.disability;
    case 'carer':
      return d.carer;
    case 'sexuality':
      return d.sexualOrientation;
    case 'religion':
      return d.religion;
    case 'deprivationDecile':
      return d.deprivationDecile;
  }
}

const CASES: Array<[Field, string, string | number | null]> = [
  // age: numbers, birth years (reference year 2025), bands, words
  ['age', '45', '45-54'],
  ['age', ' 45 ', '45-54'],
  ['age', '45.0', '45-54'],
  ['age', '0', '0-15'],
  ['age', '15', '0-15'],
  ['age', '16', '16-17'],
  ['age', '17', '16-17'],
  ['age', '18', '18-24'],
  ['age', '34', '25-34'],
  ['age', '64', '55-64'],
  ['age', '85', '85+'],
  ['age', '101', '85+'],
  ['age', 'Aged 72', '65-74'],
  ['age', '38 years', '35-44'],
  ['age', '29 yrs', '25-34'],
  ['age', '1979', '45-54'],
  ['age', '2010', '0-15'],
  ['age', '1940', '85+'],
  ['age', '45-54', '45-54'],
  ['age', '45 - 54', '45-54'],
  ['age', '45 to 54', '45-54'],
  ['age', '45–54', '45-54'],
  ['age', '18-24 years', '18-24'],
  ['age', '65-74', '65-74'],
  ['age', '25-29', '25-34'],
  ['age', '16-24', '18-24'],
  ['age', '0-17', '0-15'],
  ['age', '40-49', 'unknown'],
  ['age', '60-69', 'unknown'],
  ['age', 'under 16', '0-15'],
  ['age', 'Under 16 years', '0-15'],
  ['age', 'Less than 16', '0-15'],
  ['age', '15 and under', '0-15'],
  ['age', '15 or younger', '0-15'],
  // Under/over answers that straddle bands have no band to go in.
  ['age', 'Under 18', 'unknown'],
  ['age', '16 and under', 'unknown'],
  ['age', 'over 85', '85+'],
  ['age', 'Over 84', '85+'],
  ['age', '85+', '85+'],
  ['age', '85 +', '85+'],
  ['age', '85 and over', '85+'],
  ['age', '85 or over', '85+'],
  ['age', '85 plus', '85+'],
  ['age', '85 years and over', '85+'],
  ['age', 'Aged 85 or older', '85+'],
  ['age', '65+', 'unknown'],
  ['age', '65 and over', 'unknown'],
  ['age', '75+', 'unknown'],
  ['age', 'Aged 18-24', '18-24'],
  ['age', '18 - 24', '18-24'],
  ['age', '25 to 34 years', '25-34'],
  // Years of birth, however written; only the year is read (the reference year here is 2025).
  ['age', 'born 1950', '75-84'],
  ['age', 'Born in 1950', '75-84'],
  ['age', 'b. 1950', '75-84'],
  ['age', 'YOB: 1950', '75-84'],
  ['age', 'Year of birth 1950', '75-84'],
  ['age', 'DOB 12/03/1950', '75-84'],
  ['age', 'D.O.B. 12.03.1950', '75-84'],
  ['age', 'Prefer not to say', 'prefer_not_to_say'],
  ['age', 'N/K', 'unknown'],
  ['age', '', 'unknown'],
  ['age', '-', 'unknown'],
  // sex
  ['sex', 'M', 'male'],
  ['sex', 'm', 'male'],
  ['sex', 'male ', 'male'],
  ['sex', 'Male', 'male'],
  ['sex', 'MALE', 'male'],
  ['sex', 'Man', 'male'],
  ['sex', '1', 'male'],
  ['sex', 'F', 'female'],
  ['sex', 'Female', 'female'],
  ['sex', 'female', 'female'],
  ['sex', 'Woman', 'female'],
  ['sex', '2', 'female'],
  ['sex', 'Intersex', 'intersex'],
  ['sex', 'Indeterminate', 'intersex'],
  ['sex', 'X', 'unknown'],
  ['sex', 'Not Known', 'unknown'],
  ['sex', 'Not stated', 'prefer_not_to_say'],
  ['sex', 'PNTS', 'prefer_not_to_say'],
  ['sex', "I'd rather not say", 'prefer_not_to_say'],
  // gender identity
  ['gender', 'Woman', 'woman'],
  ['gender', 'Female', 'woman'],
  ['gender', 'Man', 'man'],
  ['gender', 'male', 'man'],
  ['gender', 'Non-binary', 'non_binary'],
  ['gender', 'non binary', 'non_binary'],
  ['gender', 'Nonbinary', 'non_binary'],
  ['gender', 'Genderfluid', 'non_binary'],
  ['gender', 'Trans woman', 'trans_woman'],
  ['gender', 'Transwoman', 'trans_woman'],
  ['gender', 'Trans man', 'trans_man'],
  ['gender', 'Transgender', 'trans'],
  ['gender', 'Yes', 'same_as_sex_at_birth'],
  ['gender', 'Same as sex registered at birth', 'same_as_sex_at_birth'],
  ['gender', 'No', 'trans'],
  ['gender', 'Prefer to self-describe', 'other'],
  ['gender', 'Prefer not to say', 'prefer_not_to_say'],
  // ethnicity (ONS 2021 groups and categories)
  ['ethnicity', 'White British', 'white/white_english_welsh_scottish_ni_british'],
  ['ethnicity', 'White - British', 'white/white_english_welsh_scottish_ni_british'],
  [
    'ethnicity',
    'White: English, Welsh, Scottish, Northern Irish or British',
    'white/white_english_welsh_scottish_ni_british',
  ],
  ['ethnicity', 'WHITE ENGLISH', 'white/white_english_welsh_scottish_ni_british'],
  ['ethnicity', 'White Irish', 'white/white_irish'],
  ['ethnicity', 'White: Gypsy or Irish Traveller', 'white/white_gypsy_irish_traveller'],
  ['ethnicity', 'Gypsy or Irish Traveller', 'white/white_gypsy_irish_traveller'],
  ['ethnicity', 'Roma', 'white/white_roma'],
  ['ethnicity', 'Any other White background', 'white/white_other'],
  ['ethnicity', 'White other', 'white/white_other'],
  ['ethnicity', 'Polish', 'white/white_other'],
  ['ethnicity', 'White', 'white/unknown'],
  ['ethnicity', 'Asian or Asian British: Pakistani', 'asian/asian_pakistani'],
  ['ethnicity', 'Pakistani', 'asian/asian_pakistani'],
  ['ethnicity', 'Asian - Indian', 'asian/asian_indian'],
  ['ethnicity', 'Indian', 'asian/asian_indian'],
  ['ethnicity', 'Asian/Asian British: Bangladeshi', 'asian/asian_bangladeshi'],
  ['ethnicity', 'Chinese', 'asian/asian_chinese'],
  ['ethnicity', 'Any other Asian background', 'asian/asian_other'],
  ['ethnicity', 'Nepalese', 'asian/asian_other'],
  ['ethnicity', 'Asian or Asian British', 'asian/unknown'],
  ['ethnicity', 'Black or Black British: Caribbean', 'black/black_caribbean'],
  ['ethnicity', 'Black African', 'black/black_african'],
  ['ethnicity', 'African', 'black/black_african'],
  ['ethnicity', 'Any other Black, Black British, or Caribbean background', 'black/black_other'],
  ['ethnicity', 'Black or Black British: Any other Black background', 'black/black_other'],
  ['ethnicity', 'Other Black', 'black/black_other'],
  ['ethnicity', 'Black British', 'black/unknown'],
  ['ethnicity', 'Mixed: White and Black Caribbean', 'mixed/mixed_white_black_caribbean'],
  ['ethnicity', 'Mixed - White & Black African', 'mixed/mixed_white_black_african'],
  ['ethnicity', 'White and Asian', 'mixed/mixed_white_asian'],
  ['ethnicity', 'Any other Mixed or Multiple ethnic background', 'mixed/mixed_other'],
  ['ethnicity', 'Mixed', 'mixed/unknown'],
  ['ethnicity', 'Arab', 'other/other_arab'],
  ['ethnicity', 'Other ethnic group: Arab', 'other/other_arab'],
  ['ethnicity', 'Any other ethnic group', 'other/other_any_other'],
  ['ethnicity', 'A', 'white/white_english_welsh_scottish_ni_british'],
  ['ethnicity', 'J', 'asian/asian_pakistani'],
  ['ethnicity', 'R', 'asian/asian_chinese'],
  ['ethnicity', 'Z', 'prefer_not_to_say/prefer_not_to_say'],
  ['ethnicity', 'Not stated', 'prefer_not_to_say/prefer_not_to_say'],
  ['ethnicity', 'Prefer not to say', 'prefer_not_to_say/prefer_not_to_say'],
  ['ethnicity', 'Not known', 'unknown/unknown'],
  ['ethnicity', '99', 'unknown/unknown'],
  // disability
  ['disability', 'Yes', 'yes'],
  ['disability', 'Y', 'yes'],
  ['disability', 'yes ', 'yes'],
  ['disability', 'Yes, limited a lot', 'yes'],
  ['disability', 'Yes – limited a little', 'yes'],
  ['disability', 'Disabled', 'yes'],
  ['disability', 'No', 'no'],
  ['disability', 'N', 'no'],
  ['disability', 'None', 'no'],
  ['disability', 'Not disabled', 'no'],
  ['disability', 'No - not limited', 'no'],
  ['disability', "Don't know", 'unknown'],
  ['disability', 'Prefer not to say', 'prefer_not_to_say'],
  // carer
  ['carer', 'Yes', 'yes'],
  ['carer', 'Y', 'yes'],
  ['carer', 'Unpaid carer', 'yes'],
  ['carer', 'I am a carer', 'yes'],
  ['carer', 'Young carer', 'yes'],
  ['carer', 'No', 'no'],
  ['carer', 'not a carer', 'no'],
  ['carer', 'n', 'no'],
  ['carer', 'Rather not say', 'prefer_not_to_say'],
  ['carer', 'n/a', 'unknown'],
  // sexual orientation
  ['sexuality', 'Heterosexual', 'heterosexual'],
  ['sexuality', 'Straight', 'heterosexual'],
  ['sexuality', 'Heterosexual/Straight', 'heterosexual'],
  ['sexuality', 'Straight or heterosexual', 'heterosexual'],
  ['sexuality', 'Gay', 'gay_or_lesbian'],
  ['sexuality', 'Lesbian', 'gay_or_lesbian'],
  ['sexuality', 'Gay or Lesbian', 'gay_or_lesbian'],
  ['sexuality', 'Gay woman/lesbian', 'gay_or_lesbian'],
  ['sexuality', 'Bisexual', 'bisexual'],
  ['sexuality', 'Bi', 'bisexual'],
  ['sexuality', 'Pansexual', 'other'],
  ['sexuality', 'Asexual', 'other'],
  ['sexuality', 'Other sexual orientation', 'other'],
  ['sexuality', 'Prefer not to say', 'prefer_not_to_say'],
  ['sexuality', 'Not stated', 'prefer_not_to_say'],
  // religion (ONS 2021 categories)
  ['religion', 'No religion', 'no_religion'],
  ['religion', 'None', 'no_religion'],
  ['religion', 'Atheist', 'no_religion'],
  ['religion', 'Agnostic', 'no_religion'],
  ['religion', 'Christian', 'christian'],
  ['religion', 'C of E', 'christian'],
  ['religion', 'Church of England', 'christian'],
  ['religion', 'Roman Catholic', 'christian'],
  ['religion', 'Christian (including Church of England, Catholic, Protestant)', 'christian'],
  ['religion', 'Methodist', 'christian'],
  ['religion', "Jehovah's Witness", 'christian'],
  ['religion', 'Muslim', 'muslim'],
  ['religion', 'Islam', 'muslim'],
  ['religion', 'Hindu', 'hindu'],
  ['religion', 'Sikh', 'sikh'],
  ['religion', 'Jewish', 'jewish'],
  ['religion', 'Buddhist', 'buddhist'],
  ['religion', 'Pagan', 'other'],
  ['religion', 'Any other religion', 'other'],
  ['religion', 'Prefer not to say', 'prefer_not_to_say'],
  ['religion', 'Not known', 'unknown'],
  // deprivation decile
  ['deprivationDecile', '1', 1],
  ['deprivationDecile', '10', 10],
  ['deprivationDecile', '3.0', 3],
  ['deprivationDecile', 'IMD decile 4', 4],
  ['deprivationDecile', '', null],
];

describe('normaliseDemographics', () => {
  it('is checked against at least 150 real-world spellings', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(150);
  });

  it.each(CASES)('%s %j -> %j', (field, raw, expected) => {
    const d = normaliseDemographics({ [field]: raw, referenceYear: 2025 });
    expect(shown(field, d)).toBe(expected);
    expect(d.unrecognised).toEqual([]);
  });

  it.each<[Field, string]>([
    ['age', 'forty-ish'],
    ['age', '130'],
    ['age', 'born 2030'],
    ['sex', 'sometimes'],
    ['ethnicity', 'BAME'],
    ['religion', 'Jedi Knight'],
    ['deprivationDecile', '11'],
    ['sexuality', 'Mind your own business Susan'],
  ])('lists unrecognised %s answers by field name only', (field, raw) => {
    const d = normaliseDemographics({ [field]: raw, referenceYear: 2025 });
    expect(d.unrecognised).toEqual([{ field }]);
    expect(JSON.stringify(d)).not.toContain(raw);
    expect(shown(field, d)).toBe(
      field === 'deprivationDecile' ? null : field === 'ethnicity' ? 'unknown/unknown' : 'unknown',
    );
  });

  it('counts birth years from the reference year', () => {
    expect(normaliseDemographics({ age: '1979', referenceYear: 2020 }).ageBand).toBe('35-44');
    expect(normaliseDemographics({ age: '1979', referenceYear: 2030 }).ageBand).toBe('45-54');
    expect(normaliseDemographics({ age: '2031', referenceYear: 2030 }).unrecognised).toEqual([
      { field: 'age' },
    ]);
  });

  it('returns unknown everywhere, and nothing unrecognised, when no field is given', () => {
    expect(normaliseDemographics({})).toEqual({
      ageBand: 'unknown',
      sex: 'unknown',
      genderIdentity: 'unknown',
      ethnicityGroup: 'unknown',
      ethnicityDetail: 'unknown',
      disability: 'unknown',
      carer: 'unknown',
      sexualOrientation: 'unknown',
      religion: 'unknown',
      deprivationDecile: null,
      unrecognised: [],
    });
  });
});
