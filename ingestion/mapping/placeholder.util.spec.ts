import { isPlaceholderComment } from './placeholder.util';

describe('isPlaceholderComment', () => {
  it.each([
    '',
    '   ',
    'N/A',
    'n/a',
    'NA',
    'none',
    'None.',
    'Did not answer',
    '-',
    '.',
    '...',
    '--',
    'nothing to add',
    'No comment',
    'no comments!',
    '?',
    '0',
    '#N/A',
    'Not applicable',
    '\n\t',
  ])('%p is a placeholder', (text) => {
    expect(isPlaceholderComment(text)).toBe(true);
  });

  it.each([
    'Nothing',
    'No',
    'Nothing could be better',
    'N/A for me but my mum waited 3 hours',
    'none of the staff listened',
    '10/10',
    'Good',
    '0 stars',
  ])('%p is a real answer', (text) => {
    expect(isPlaceholderComment(text)).toBe(false);
  });
});
