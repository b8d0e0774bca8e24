import type { RawRecord } from '../adapters/adapter.types';
import { normaliseHeader } from '../profiles/normalise-header.util';
import type { CanonicalField } from '../profiles/profile.types';
import { PROFILES } from '../profiles/profiles.constants';
import { buildMapping } from './build-mapping.util';
import { MappingError } from './mapping.error';

const generic = PROFILES.generic;

describe('normaliseHeader', () => {
  it.each([
    [' Post Code ', 'postcode'],
    ['POST_CODE:', 'postcode'],
    ['Ethnic group (please state)', 'ethnicgrouppleasestate'],
    ['Catégorie', 'categorie'],
    ['comment_txt ', 'commenttxt'],
  ])('%p → %p', (header, expected) => {
    expect(normaliseHeader(header)).toBe(expected);
  });
});

describe('buildMapping header aliases (generic profile)', () => {
  it.each<[string, CanonicalField]>([
    ['Comment', 'text'],
    ['Comments', 'text'],
    ['Feedback', 'text'],
    ['Free text', 'text'],
    ['Your comments', 'text'],
    ['What could we do better?', 'text'],
    ['Patient comments (please give details)', 'text'],
    ['Date', 'date'],
    ['Date of feedback', 'date'],
    ['Response date', 'date'],
    ['Submitted', 'date'],
    ['Postcode', 'postcode'],
    ['Post code', 'postcode'],
    ['Postcode district', 'postcodeDistrict'],
    ['Age', 'age'],
    ['Age group', 'age'],
    ['Age band', 'age'],
    ['What is your age group?', 'age'],
    ['Gender', 'gender'],
    ['Sex', 'sex'],
    ['Ethnicity', 'ethnicity'],
    ['Ethnic group', 'ethnicity'],
    ['ETHNIC ORIGIN', 'ethnicity'],
    ['Which of these best describes your ethnic background?', 'ethnicity'],
    ['Do you consider yourself to have a disability?', 'disability'],
    ['Are you a carer?', 'carer'],
    ['Sexual orientation', 'sexuality'],
    ['Religion or belief', 'religion'],
    ['GP practice code', 'practiceCode'],
    ['Local authority', 'district'],
    ['Service', 'service'],
    ['Site', 'location'],
    ['IMD decile', 'deprivationDecile'],
    ['Respondent ID', 'externalRef'],
    ['Question', 'question'],
    ['Rating', 'rating'],
    ['Group', 'group'],
  ])('%p → %s', (header, field) => {
    const headers = field === 'text' ? ['Ref', header] : ['Comment', header];
    const mapping = buildMapping(headers, generic);
    expect(mapping.columns[field]).toEqual([header]);
  });

  it('puts every column nobody mapped in unmapped, in file order', () => {
    const mapping = buildMapping(
      ['Ref', 'Staff member', 'Comment', 'Date of birth', 'Postcode'],
      generic,
    );
    expect(mapping.columns.text).toEqual(['Comment']);
    expect(mapping.columns.date).toBeUndefined();
    expect(mapping.unmapped).toEqual(['Staff member', 'Date of birth']);
  });

  it('lets the column map override the profile, matching the header loosely', () => {
    const mapping = buildMapping(['Notes', 'Comment', 'When'], generic, {
      text: 'notes',
      date: ' When ',
    });
    expect(mapping.columns.text).toEqual(['Notes']);
    expect(mapping.columns.date).toEqual(['When']);
    expect(mapping.unmapped).toEqual(['Comment']);
  });

  it('rejects a column map naming a header that is not in the file', () => {
    expect(() => buildMapping(['Comment', 'Date'], generic, { date: 'Visit date' })).toThrow(
      expect.objectContaining({
        code: 'unknown_column',
        message: expect.stringContaining('"Visit date"'),
      }),
    );
    expect(() => buildMapping(['Comment'], generic, { colour: 'Comment' })).toThrow(
      expect.objectContaining({ code: 'unknown_field' }),
    );
  });

  it('explains a missing text column with the headers seen and the aliases tried', () => {
    let error: unknown;
    try {
      buildMapping(['Ref', 'Date', 'Score'], generic);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MappingError);
    expect(error).toMatchObject({ code: 'no_text_column' });
    const message = (error as Error).message;
    expect(message).toContain('"Ref", "Date", "Score"');
    expect(message).toContain('comment, comments, feedback');
  });

  it('does not echo a header long enough to be someone’s comment', () => {
    const long = 'I was kept waiting for four hours and nobody explained why, '.repeat(3);
    expect(() => buildMapping([long, 'Date'], generic)).toThrow(/\[a name of \d+ characters\]/);
    expect(() => buildMapping([long, 'Date'], generic)).not.toThrow(/kept waiting/);
  });
});

describe('buildMapping per-question (survey profile)', () => {
  const headers = [
    'Respondent ID',
    'Start time',
    'Q1 How would you rate your visit?',
    'Q2 What was good about your visit?',
    'Q3 What could we do better?',
    'Did staff explain things clearly?',
    'What is your age?',
    'Postcode',
  ];

  it('treats each free-text question column as a comment source, leaving rating and demographic columns out', () => {
    const mapping = buildMapping(headers, PROFILES.survey);
    expect(mapping.mode).toBe('per-question');
    expect(mapping.questionColumns).toEqual([
      'Q2 What was good about your visit?',
      'Q3 What could we do better?',
      'Did staff explain things clearly?',
    ]);
    expect(mapping.columns.age).toEqual(['What is your age?']);
    expect(mapping.columns.externalRef).toEqual(['Respondent ID']);
    expect(mapping.columns.date).toEqual(['Start time']);
    expect(mapping.unmapped).toEqual(['Q1 How would you rate your visit?']);
  });

  it('uses sample values to drop tick-box questions whose header looks open', () => {
    const sample: RawRecord[] = Array.from({ length: 20 }, (_, i) => ({
      rowNumber: i + 2,
      values: {
        'Q2 What was good about your visit?':
          i % 3 === 0 ? null : `The nurse took time to explain everything, visit ${i}`,
        'Q3 What could we do better?': `Parking was hard to find on day ${i}`,
        'Did staff explain things clearly?': ['Yes', 'No', 'Not sure'][i % 3],
      },
    }));
    const mapping = buildMapping(headers, PROFILES.survey, undefined, sample);
    expect(mapping.questionColumns).toEqual([
      'Q2 What was good about your visit?',
      'Q3 What could we do better?',
    ]);
    expect(mapping.unmapped).toContain('Did staff explain things clearly?');
  });

  it('falls back to a single comment column when there are no question columns', () => {
    const mapping = buildMapping(['Respondent ID', 'Comments', 'Age'], PROFILES.survey);
    expect(mapping.mode).toBe('single');
    expect(mapping.columns.text).toEqual(['Comments']);
    expect(mapping.questionColumns).toEqual([]);
  });
});
