import { classifyQuestion, classifyShortAnswer } from './question-classifier';

describe('classifyQuestion', () => {
  it.each([
    ['What could be improved?', 'improve'],
    ['What could we do better?', 'improve'],
    ['Is there anything we could have done differently?', 'improve'],
    ['What would have made your visit better?', 'improve'],
    ["What didn't go well?", 'improve'],
    ['What was good about your visit?', 'positive'],
    ['What did we do well?', 'positive'],
    ['What did you like most about the service?', 'positive'],
    ['Please tell us about your experience', 'neutral'],
    ['Any other comments?', 'neutral'],
    ['', 'neutral'],
    [undefined, 'neutral'],
  ])('%j -> %s', (q, expected) => {
    expect(classifyQuestion(q)).toBe(expected);
  });
});

describe('classifyShortAnswer', () => {
  it.each([
    ['Nothing', 'nothing'],
    ['nothing really', 'nothing'],
    ['Nothing at all, thank you', 'nothing'],
    ['No', 'nothing'],
    ['None.', 'nothing'],
    ["Can't think of anything", 'nothing'],
    ['All good', 'nothing'],
    ['n/a', 'non_answer'],
    ['N/A', 'non_answer'],
    ['No comment', 'non_answer'],
    ['Nothing except the parking', 'other'],
    ['Nothing, but the wait was long', 'other'],
    ['Nothingness', 'other'],
    ['The parking', 'other'],
  ])('%j -> %s', (text, expected) => {
    expect(classifyShortAnswer(text).kind).toBe(expected);
  });
});
