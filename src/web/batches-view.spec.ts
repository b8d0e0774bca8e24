import {
  dateTime,
  mappingPageView,
  noteText,
  processingNotes,
  reviewTag,
  statusTag,
  unplacedPageView,
} from './batches-view';

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
      { what: 'Rows rejected: no comment in the row', n: 2 },
    ]);
  });

  it.each([
    ['redacted:NAME', 'Personal details removed: names'],
    ['redacted:PHONE', 'Personal details removed: phone numbers'],
    ['unrecognised:ethnicity', 'Ethnicity answers not recognised (counted as not known)'],
    ['language:pl', 'Comments in Polish'],
    ['flagged:safeguarding', 'Comments flagged for a safeguarding review'],
    ['empty_comment', 'Rows rejected: the comment was empty'],
    ['warning:invalid_date', 'Dates that could not be read (comment kept without a date)'],
    ['something_new:odd_value', 'Something new: odd value'],
  ])('words the note %s as "%s"', (code, words) => {
    expect(noteText(code)).toBe(words);
  });

  it('words how the columns were read', () => {
    expect(mappingPageView(null)).toBeNull();
    expect(
      mappingPageView({
        mapped: [{ column: 'row_index', field: 'externalRef' }],
        unmapped: ['ward colour'],
        missing: ['date'],
      }),
    ).toEqual({
      mapped: [{ column: 'row_index', field: 'Reference (row id)' }],
      unmapped: ['ward colour'],
      missing: ['No date column: the comments have no date and are left out of trends'],
    });
  });
});

describe('unplacedPageView', () => {
  it('names each field in words with its value-map key, leaving out fields with nothing', () => {
    expect(
      unplacedPageView({
        sexuality: [{ value: 'Q', count: 3 }],
        religion: [
          { value: '7', count: 5 },
          { value: 'Jedi', count: 1 },
        ],
        carer: [],
      }),
    ).toEqual([
      {
        field: 'Religion',
        key: 'religion',
        values: [
          { value: '7', count: 5 },
          { value: 'Jedi', count: 1 },
        ],
      },
      { field: 'Sexual orientation', key: 'sexuality', values: [{ value: 'Q', count: 3 }] },
    ]);
    expect(unplacedPageView(null)).toEqual([]);
  });
});
