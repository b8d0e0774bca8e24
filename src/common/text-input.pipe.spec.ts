import { DomainError } from './domain-error';
import { findInvalidText, TextInputPipe } from './text-input.pipe';

describe('findInvalidText', () => {
  it.each([
    ['a plain string', 'hello', '', undefined],
    ['emoji (a whole surrogate pair)', 'ok 👍', '', undefined],
    ['a NUL in a query value', { q: 'a\u0000b' }, '', { field: 'q', problem: 'nul' }],
    ['a NUL at the end', { reason: 'why\u0000' }, '', { field: 'reason', problem: 'nul' }],
    [
      'a NUL deep in a body',
      { lexicon: { phrases: ['ok', 'car\u0000park'] } },
      '',
      { field: 'lexicon.phrases[1]', problem: 'nul' },
    ],
    ['a lone high surrogate', { name: 'x\uD800' }, '', { field: 'name', problem: 'surrogate' }],
    ['a lone low surrogate', { name: '\uDC00x' }, '', { field: 'name', problem: 'surrogate' }],
    ['a named parameter', 'a\u0000', 'id', { field: 'id', problem: 'nul' }],
    ['a NUL in a field name', { 'q\u0000x': '1' }, '', { field: 'a field name', problem: 'nul' }],
    ['a whole body that is a string', '\u0000', '', { field: 'the request body', problem: 'nul' }],
    ['numbers, booleans and null', { a: 1, b: true, c: null }, '', undefined],
  ])('%s', (_what, value, root, expected) => {
    expect(findInvalidText(value, root)).toEqual(expected);
  });

  it('reports the first bad field in order', () => {
    expect(findInvalidText({ a: 'ok', b: '\u0000', c: '\u0000' })?.field).toBe('b');
  });

  it('quotes an unusual field name rather than pasting it', () => {
    expect(findInvalidText({ 'my field': '\u0000' })?.field).toBe('"my field"');
  });

  it('walks a very deeply nested body without running out of stack', () => {
    let deep: unknown = '\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findInvalidText(deep)?.problem).toBe('nul');
  });
});

describe('TextInputPipe', () => {
  const pipe = new TextInputPipe();

  it('passes clean values through unchanged', () => {
    const body = { title: 'Spring survey' };
    expect(pipe.transform(body, { type: 'body' })).toBe(body);
  });

  it('refuses a NUL with invalid_input naming the field', () => {
    let thrown: unknown;
    try {
      pipe.transform({ title: 'a\u0000' }, { type: 'body' });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({
      code: 'invalid_input',
      message: 'title must not contain a NUL character (U+0000)',
      details: { field: 'title' },
    });
  });

  it("drops a NUL from an uploaded file's name rather than refusing the upload", () => {
    const file = { fieldname: 'file', originalname: 'survey\u0000.csv', path: '/tmp/x', size: 3 };
    expect(pipe.transform(file, { type: 'custom' })).toEqual({
      ...file,
      originalname: 'survey.csv',
    });
    const clean = { fieldname: 'file', originalname: 'survey.csv' };
    expect(pipe.transform(clean, { type: 'custom' })).toBe(clean);
  });

  it('names a single query parameter by its name', () => {
    expect(() => pipe.transform('x\u0000', { type: 'query', data: 'returnTo' })).toThrow(
      'returnTo must not contain a NUL character',
    );
  });
});
