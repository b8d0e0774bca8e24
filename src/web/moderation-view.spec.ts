import type { ModerationItemView } from '../moderation/dto/moderation.dto';
import { itemPageView, markedSegments, redactionText } from './moderation-view';

describe('redactionText', () => {
  it('words the counts, most first, singular and plural', () => {
    expect(redactionText({ PHONE: 1, NAME: 2, EMAIL: 0 })).toBe('2 names, 1 phone number');
    expect(redactionText({ DATE_OF_BIRTH: 2, ADDRESS: 1 })).toBe('2 dates of birth, 1 address');
    expect(redactionText({})).toBe('');
  });
});

describe('markedSegments', () => {
  it('cuts the text at the matches, merging overlaps', () => {
    const text = 'he hit me and threatened to hurt me';
    expect(
      markedSegments(text, [
        { category: 'threat_of_harm', start: 14, end: 35 },
        { category: 'physical_abuse', start: 3, end: 9 },
        { category: 'threat_of_harm', start: 20, end: 30 },
      ]),
    ).toEqual([
      { text: 'he ', category: null },
      { text: 'hit me', category: 'physical abuse' },
      { text: ' and ', category: null },
      { text: 'threatened to hurt me', category: 'threat of harm' },
    ]);
  });

  it('ignores offsets outside the text and keeps a text with no match whole', () => {
    expect(markedSegments('fine', [{ category: 'neglect', start: 2, end: 99 }])).toEqual([
      { text: 'fine', category: null },
    ]);
  });
});

describe('itemPageView', () => {
  const item = (part: number): ModerationItemView => ({
    id: `id-${part}`,
    batchId: 'b',
    organisationId: 'o',
    rowNumber: 2,
    part,
    text: 'The ward was clean',
    question: null,
    sharingLevel: 'system',
    moderationStatus: 'pending',
    needsReview: false,
    safeguarding: false,
    safeguardingCategories: [],
    safeguardingMatches: [],
    redaction: {},
    createdAt: '2024-01-01T00:00:00Z',
    updatedAt: '2024-01-01T00:00:00Z',
  });

  it('gives each answer of a row its own heading (parts count from 0)', () => {
    expect([0, 1, 2].map((p) => itemPageView(item(p)).heading)).toEqual([
      'Row 2',
      'Row 2, answer 2',
      'Row 2, answer 3',
    ]);
  });
});
