import { dateParts, datePartsOf, readDate } from './form-dates';

describe('dateParts', () => {
  it('reads the nested parts multipart and URL-encoded bodies make', () => {
    expect(dateParts({ from: { day: ' 1 ', month: '3', year: '2025' } }, 'from')).toEqual({
      day: '1',
      month: '3',
      year: '2025',
    });
  });

  it('reads flat `name[part]` keys, and treats anything else as empty', () => {
    expect(dateParts({ 'from[day]': '9', 'from[year]': ['2025'] }, 'from')).toEqual({
      day: '9',
      month: '',
      year: '',
    });
    expect(dateParts(undefined, 'from')).toEqual({ day: '', month: '', year: '' });
  });
});

describe('readDate', () => {
  it.each([
    [{ day: '', month: '', year: '' }, {}],
    [{ day: '1', month: '3', year: '2025' }, { iso: '2025-03-01' }],
    [{ day: '29', month: '2', year: '2024' }, { iso: '2024-02-29' }],
    [{ day: '29', month: '2', year: '2025' }, { problem: 'Start must be a real date' }],
    [{ day: '31', month: '13', year: '2025' }, { problem: 'Start must be a real date' }],
    [{ day: '1', month: '3', year: '25' }, { problem: 'Start must be a real date' }],
    [{ day: 'x', month: '3', year: '2025' }, { problem: 'Start must be a real date' }],
    [{ day: '1', month: '', year: '2025' }, { problem: 'Start must include a month' }],
    [{ day: '', month: '', year: '2025' }, { problem: 'Start must include a day and month' }],
  ])('%p → %p', (parts, expected) => {
    expect(readDate(parts, 'Start')).toEqual(expected);
  });
});

describe('datePartsOf', () => {
  it('splits an ISO date for the date input, without leading zeros', () => {
    expect(datePartsOf('2025-03-01')).toEqual({ day: '1', month: '3', year: '2025' });
    expect(datePartsOf(undefined)).toEqual({ day: '', month: '', year: '' });
  });
});
