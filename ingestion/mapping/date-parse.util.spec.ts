import { parseFeedbackDate } from './date-parse.util';

describe('parseFeedbackDate', () => {
  it.each([
    ['ISO date', '2024-03-03', '2024-03-03'],
    ['ISO date-time', '2024-03-03T14:22:05Z', '2024-03-03'],
    ['ISO with slashes', '2024/3/3', '2024-03-03'],
    ['dd/mm/yyyy', '03/04/2024', '2024-04-03'],
    ['d/m/yy', '3/4/24', '2024-04-03'],
    ['d/m/yy in the last century', '3/4/85', '1985-04-03'],
    ['dd-mm-yyyy', '13-04-2024', '2024-04-13'],
    ['dd.mm.yyyy', '13.04.2024', '2024-04-13'],
    ['dd/mm/yyyy with a time', '13/04/2024 09:15', '2024-04-13'],
    ['dd/mm/yyyy with seconds and pm', '13/04/2024 9:15:00 pm', '2024-04-13'],
    ['day and month name', '3 March 2024', '2024-03-03'],
    ['ordinal and short month', '3rd Mar 2024', '2024-03-03'],
    ['Excel dd-mmm-yy', '03-Sep-23', '2023-09-03'],
    ['weekday prefix', 'Sunday, 3 March 2024', '2024-03-03'],
    ['month name first', 'March 3, 2024', '2024-03-03'],
    ['Sept spelling', '30 Sept 2023', '2023-09-30'],
    ['leap day', '29/02/2024', '2024-02-29'],
    ['Excel serial number', 45352, '2024-03-01'],
    ['Excel serial with a time', 45352.75, '2024-03-01'],
    ['Excel serial as text', '44469', '2021-09-30'],
    ['Date cell at UTC midnight', new Date(Date.UTC(2022, 9, 27)), '2022-10-27'],
    ['padded text', '  01/12/2023  ', '2023-12-01'],
  ])('%s: %p → %s', (_label, value, iso) => {
    expect(parseFeedbackDate(value)).toEqual({ ok: true, iso });
  });

  it.each([
    ['not a date', 'last Tuesday', 'unrecognised'],
    ['13th month day-first and month-first', '13/25/2024', 'impossible'],
    ['only valid month-first', '12/25/2024', 'month_first_only'],
    ['30 February', '30/02/2024', 'impossible'],
    ['29 February in a common year', '29/02/2023', 'impossible'],
    ['month name unknown', '3 Marchember 2024', 'unrecognised'],
    ['a year alone', '2024', 'unrecognised'],
    ['serial too small to be a feedback date', 2024, 'out_of_range'],
    ['year out of range', '01/01/1850', 'out_of_range'],
    ['a boolean', true, 'unrecognised'],
    ['an invalid Date', new Date('nope'), 'impossible'],
    ['empty', '', 'unrecognised'],
  ])('%s: %p → %s', (_label, value, reason) => {
    expect(parseFeedbackDate(value)).toEqual({ ok: false, reason });
  });

  it.each([
    ['03/04/2024', 'dmy', '2024-04-03'],
    ['03/04/2024', 'mdy', '2024-03-04'],
    ['12/25/2024', 'mdy', '2024-12-25'],
    ['2024-03-04', 'mdy', '2024-03-04'],
  ] as const)('%s read %s → %s', (value, order, iso) => {
    expect(parseFeedbackDate(value, order)).toEqual({ ok: true, iso });
  });

  it('does not swap a day-first date when the file is declared month-first', () => {
    expect(parseFeedbackDate('25/12/2024', 'mdy')).toEqual({ ok: false, reason: 'impossible' });
  });
});
