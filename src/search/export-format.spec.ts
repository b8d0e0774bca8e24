import {
  csvLine,
  exportColumns,
  exportHeaders,
  exportValues,
  jsonRecord,
  neutraliseCell,
  spreadsheetCell,
  type ExportRow,
} from './export-format';

const row: ExportRow = {
  id: 'a1',
  commentDate: '2024-03-01',
  text: '=SUM(A1:A9) was typed, then "hello", world',
  question: null,
  themeCodes: ['access', 'phones'],
  sentiment: 'negative',
  sentimentScore: -0.5,
  sourceType: 'survey',
  organisationId: 'o1',
  batchId: 'b1',
  hcpArea: 'West Kent',
  ladCode: 'E07000110',
  postcodeDistrict: 'ME14',
  language: 'en',
  sharingLevel: 'icb',
  ageBand: '35-44',
  sex: 'female',
  genderIdentity: 'unknown',
  ethnicityGroup: 'white',
  disability: 'no',
  carer: 'unknown',
  sexualOrientation: 'prefer_not_to_say',
  religion: 'unknown',
  deprivationQuintile: '2',
  organisationName: 'Healthwatch Kent',
  batchTitle: 'Spring roadshow',
};
const lookups = {
  themeName: (c: string) => ({ access: 'Access', phones: 'Phones' })[c],
  districtName: (c: string) => (c === 'E07000110' ? 'Maidstone' : undefined),
};

describe('export format', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+44 1622', "'+44 1622"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
    ['＝1+1', "'＝1+1"],
    ['＋44 1622', "'＋44 1622"],
    ['－2', "'－2"],
    ['＠SUM(A1)', "'＠SUM(A1)"],
    ['﹦1', "'﹦1"],
    ['a＝b', 'a＝b'],
    ['👍 thanks', '👍 thanks'],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('neutralises %j as %j', (input, expected) => {
    expect(neutraliseCell(input)).toBe(expected);
  });

  it('keeps numbers as numbers in spreadsheets', () => {
    expect(spreadsheetCell(-0.5)).toBe(-0.5);
    expect(spreadsheetCell(null)).toBeNull();
    expect(spreadsheetCell('-0.5')).toBe("'-0.5");
  });

  const BASE_HEADERS = [
    'id',
    'date',
    'text',
    'question',
    'theme_codes',
    'theme_names',
    'sentiment',
    'sentiment_score',
    'source_type',
    'organisation_id',
    'batch_id',
    'hcp_area',
    'district_code',
    'district_name',
    'postcode_district',
    'language',
    'sharing_level',
  ];

  it('has a stable column list; demographics only when asked', () => {
    // Columns added later come after all the others, for every role, so none moves.
    expect(exportHeaders(exportColumns(false))).toEqual([
      ...BASE_HEADERS,
      'organisation_name',
      'batch_title',
    ]);
    expect(exportHeaders(exportColumns(true))).toEqual([
      ...BASE_HEADERS,
      'age_band',
      'sex',
      'gender_identity',
      'ethnicity_group',
      'disability',
      'carer',
      'sexual_orientation',
      'religion',
      'organisation_name',
      'batch_title',
      'deprivation_quintile',
    ]);
  });

  it('writes RFC 4180 CSV with neutralised text', () => {
    const values = exportValues(row, exportColumns(false), lookups);
    const line = csvLine(values);
    expect(line.endsWith('\r\n')).toBe(true);
    expect(line).toContain(`"'=SUM(A1:A9) was typed, then ""hello"", world"`);
    expect(line).toContain(',access; phones,Access; Phones,negative,-0.5,');
    expect(line).toContain(',E07000110,Maidstone,ME14,');
    expect(csvLine(['multi\nline', ' padded', null])).toBe('"multi\nline"," padded",\r\n');
  });

  it('writes JSON records keyed by header, text untouched', () => {
    const headers = exportHeaders(exportColumns(false));
    const record = JSON.parse(
      jsonRecord(headers, exportValues(row, exportColumns(false), lookups)),
    );
    expect(record.text).toBe(row.text);
    expect(record.district_name).toBe('Maidstone');
    expect(record.question).toBeNull();
  });
});
