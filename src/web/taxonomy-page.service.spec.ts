import { DomainError } from '../common/domain-error';
import type { ThemeNode } from '../taxonomy/dto/theme.dto';
import { changedFields, phraseLines, problemOf, readThemeForm } from './taxonomy-page.service';

const theme: ThemeNode = {
  code: 'parking',
  name: 'Parking',
  parentCode: 'access',
  kind: 'sub_theme',
  description: 'Car parks',
  lexicon: { phrases: ['car park', 'parking'] },
  active: true,
  version: 3,
  updatedAt: '2025-01-01T00:00:00.000Z',
  children: [],
};

describe('phraseLines', () => {
  it('takes one phrase a line, trimmed, without blanks or repeats', () => {
    expect(phraseLines(' car park \r\n\nparking\ncar park\n')).toEqual(['car park', 'parking']);
  });
});

describe('readThemeForm and changedFields', () => {
  it('sends only what changed', () => {
    const form = readThemeForm(
      {
        name: 'Parking',
        description: 'Car parks',
        phrases: 'car park\nparking\nparking fees',
        exclude: '',
        active: 'yes',
      },
      false,
    );
    expect(form.problems).toEqual([]);
    expect(changedFields(theme, form)).toEqual({
      lexicon: { phrases: ['car park', 'parking', 'parking fees'] },
    });
  });

  it('reads an unticked box as inactive and an unchanged form as no change', () => {
    const same = readThemeForm(
      { name: 'Parking', description: 'Car parks', phrases: 'car park\nparking', active: 'yes' },
      false,
    );
    expect(changedFields(theme, same)).toEqual({});
    const off = readThemeForm(
      { name: 'Parking', description: 'Car parks', phrases: 'car park\nparking' },
      false,
    );
    expect(changedFields(theme, off)).toEqual({ active: false });
  });

  it('words problems for people and names the control', () => {
    const { problems } = readThemeForm(
      { code: 'Car Parks', name: '', kind: 'whatever', phrases: 'x'.repeat(201) },
      true,
    );
    expect(problems.map((p) => p.field)).toEqual(['code', 'name', 'kind', 'phrases']);
    expect(problems[3].message).toBe(
      'Phrases: each phrase must be 200 characters or fewer (phrase 1 is longer)',
    );
  });
});

describe('problemOf', () => {
  it('puts a refusal against the control it is about', () => {
    expect(problemOf(new DomainError('conflict', 'Theme parking already exists'), true).field).toBe(
      'code',
    );
    expect(
      problemOf(
        new DomainError(
          'invalid_input',
          'The taxonomy change is not valid: theme "x": unknown parent "y"',
        ),
        true,
      ).field,
    ).toBe('parentCode');
    expect(
      problemOf(new DomainError('conflict', 'Theme access has active sub-themes (parking)'), false)
        .field,
    ).toBe('active');
  });
});
