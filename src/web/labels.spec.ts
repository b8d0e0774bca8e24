import { label, languageName, longDate, monthLabel, snippetHtml } from './labels';

describe('snippetHtml', () => {
  it.each([
    ['an <mark>appointment</mark> at last', 'an <mark>appointment</mark> at last'],
    ['&lt;script&gt; stays escaped', '&lt;script&gt; stays escaped'],
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['<mark onclick="x">a</mark>', '&lt;mark onclick="x"&gt;a</mark>'],
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['a > b', 'a &gt; b'],
  ])('%p → %p', (html, expected) => {
    expect(snippetHtml(html)).toBe(expected);
  });
});

describe('label', () => {
  it.each([
    ['very_negative', 'Very negative'],
    ['healthwatch_report', 'Healthwatch report'],
    ['pals_complaint', 'PALS complaint'],
    ['fft', 'FFT'],
    ['nhs111_ambulance', 'NHS 111 ambulance'],
    ['gp', 'GP'],
    [null, ''],
  ])('%p → %p', (code, expected) => {
    expect(label(code)).toBe(expected);
  });
});

describe('longDate', () => {
  it.each([
    ['2024-03-01', '1 March 2024'],
    ['2024-12-31T10:00:00.000Z', '31 December 2024'],
    ['2024-13-01', '2024-13-01'],
    ['not a date', 'not a date'],
    [null, ''],
  ])('%p → %p', (iso, expected) => {
    expect(longDate(iso)).toBe(expected);
  });
});

describe('monthLabel', () => {
  it('names the month, or returns what it cannot read', () => {
    expect(monthLabel('2024-12-01')).toBe('December 2024');
    expect(monthLabel('2024-12-01', true)).toBe('Dec 2024');
    expect(monthLabel('2024-W01')).toBe('2024-W01');
  });
});

describe('languageName', () => {
  it('names known languages and shows unknown codes as they are', () => {
    expect(languageName('en')).toBe('English');
    expect(languageName('xx')).toBe('xx');
  });
});
