import { dateTime, processingNotes, reviewTag, statusTag } from './batches-view';

describe('batch labels', () => {
  it('words statuses in text, with a colour as well', () => {
    expect(statusTag('enriching')).toEqual({
      text: 'Removing personal details and finding themes',
      colour: 'blue',
    });
    expect(statusTag('complete')).toEqual({ text: 'Complete', colour: 'green' });
    expect(reviewTag('awaiting_review')).toEqual({
      text: 'Waiting for a moderator',
      colour: 'yellow',
    });
  });

  it('writes times in UK time, the NHS.UK way', () => {
    expect(dateTime('2025-07-04T13:05:00Z')).toBe('4 July 2025 at 2:05pm');
    expect(dateTime('2025-01-04T09:30:00Z')).toBe('4 January 2025 at 9:30am');
  });

  it('lists processing notes with the most first, leaving out zeros', () => {
    expect(processingNotes({ missing_text: 2, 'warning:date_unparsed': 5, duplicate: 0 })).toEqual([
      { what: 'Warning: date unparsed', n: 5 },
      { what: 'Missing text', n: 2 },
    ]);
  });
});
