import { PROFILES } from '../profiles/profiles.constants';
import { GENERIC_TEMPLATE_COLUMNS } from '../template';
import { buildMapping } from './build-mapping.util';
import { chooseProfile } from './choose-profile.util';

describe('chooseProfile', () => {
  it.each([
    [
      'generic',
      GENERIC_TEMPLATE_COLUMNS.map((c) => c.name),
      { text: ['comment'], postcode: ['postcode'] },
    ],
    ['generic', ['Comments', 'Date', 'Postcode'], { text: ['Comments'], date: ['Date'] }],
    [
      'survey',
      [
        'Respondent ID',
        'Start time',
        'Completion time',
        'Q1 What was good?',
        'Q2 What could be better?',
        'Age group',
      ],
      { externalRef: ['Respondent ID'], age: ['Age group'] },
    ],
    [
      'healthwatch',
      [
        'Experience ID',
        'Report title',
        'Service type',
        'Provider name',
        'Date of experience',
        'Experience',
        'Sentiment',
        'Area',
      ],
      {
        text: ['Experience'],
        service: ['Service type'],
        date: ['Date of experience'],
        externalRef: ['Experience ID'],
      },
    ],
    [
      'roadshow',
      ['Card number', 'Event', 'Venue', 'Event date', 'What matters to you?', 'Age group'],
      {
        text: ['What matters to you?'],
        location: ['Venue'],
        date: ['Event date'],
        externalRef: ['Card number'],
      },
    ],
    [
      'focus-group',
      ['Group', 'Session date', 'Facilitator', 'Participant', 'Quote'],
      { text: ['Quote'], group: ['Group'], date: ['Session date'] },
    ],
    [
      'fft',
      ['Date', 'Ward', 'FFT rating', 'Please tell us why you gave that answer', 'Age'],
      {
        text: ['Please tell us why you gave that answer'],
        rating: ['FFT rating'],
        service: ['Ward'],
      },
    ],
    [
      'national-patient-experience',
      [
        'comment_id',
        'date',
        'location_1',
        'location_2',
        'location_3',
        'comment_type',
        'comment_txt',
        'fft',
        'sex',
        'gender',
        'age',
        'ethnicity',
        'sexuality',
        'disability',
        'religion',
      ],
      {
        text: ['comment_txt'],
        question: ['comment_type'],
        location: ['location_1'],
        service: ['location_2', 'location_3'],
        rating: ['fft'],
      },
    ],
  ])('recognises a %s export', (expected, headers, columns) => {
    const { profile, confidence } = chooseProfile(headers);
    expect(profile.name).toBe(expected);
    expect(confidence).toBeGreaterThan(0.3);
    expect(buildMapping(headers, profile).columns).toMatchObject(columns);
  });

  it('reports low confidence when few columns are understood', () => {
    const { profile, confidence } = chooseProfile([
      'Feedback',
      'Col A',
      'Col B',
      'Col C',
      'Col D',
      'Col E',
      'Col F',
    ]);
    expect(profile.name).toBe('generic');
    expect(confidence).toBeLessThan(0.3);
  });

  it('uses the requested profile and rejects an unknown one', () => {
    expect(chooseProfile(['Comment'], 'fft').profile).toBe(PROFILES.fft);
    expect(() => chooseProfile(['Comment'], 'nhs')).toThrow(
      expect.objectContaining({ code: 'unknown_profile' }),
    );
  });

  it('fails with no_text_column when no profile finds a comment', () => {
    expect(() => chooseProfile(['Ref', 'Date', 'Score'])).toThrow(
      expect.objectContaining({ code: 'no_text_column' }),
    );
  });
});
