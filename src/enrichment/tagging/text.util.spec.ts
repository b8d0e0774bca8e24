import { clauseTokens, stem, tokenise } from './text.util';

describe('tokenise', () => {
  it.each([
    ["Couldn't fault the A&E team", ['couldnt', 'fault', 'the', 'a&e', 'team']],
    ['Can’t  think\nof anything', ['cant', 'think', 'of', 'anything']],
    ['NothIng.', ['nothing']],
  ])('%j', (text, expected) => {
    expect(tokenise(text)).toEqual(expected);
  });

  it('keeps clause punctuation so negation can stop at it', () => {
    expect(clauseTokens('No. Staff rude')).toEqual(['no', '.', 'staff', 'rude']);
  });
});

describe('stem maps inflections of a word onto one key', () => {
  it.each([
    ['appointments', 'appointment'],
    ['waiting', 'wait'],
    ['waited', 'wait'],
    ['waits', 'wait'],
    ['caring', 'care'],
    ['cared', 'care'],
    ['parking', 'park'],
    ['parked', 'park'],
    ['stopping', 'stop'],
    ['hoping', 'hope'],
    ['babies', 'baby'],
    ['listened', 'listen'],
    ['glasses', 'glass'],
    ['agreed', 'agree'],
  ])('%s -> %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  it.each(['staff', 'bus', 'was', 'thing', '111', 'a&e'])('leaves %s alone', (word) => {
    expect(stem(word)).toBe(word);
  });
});
