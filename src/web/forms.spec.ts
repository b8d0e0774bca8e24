import { DomainError } from '../common/domain-error';
import { field, formErrors, formProblem, safeReturnTo, signInUrl } from './forms';

describe('safeReturnTo', () => {
  it.each([
    ['/search?q=appointment', '/search?q=appointment'],
    [
      '/insights/0b6c1d1e-7c53-4c55-9d5b-0d0c7a0c1f2a',
      '/insights/0b6c1d1e-7c53-4c55-9d5b-0d0c7a0c1f2a',
    ],
    ['//evil.example/x', '/search'],
    ['/\\evil.example', '/search'],
    ['https://evil.example/', '/search'],
    ['javascript:alert(1)', '/search'],
    ['/sign-in?returnTo=/search', '/search'],
    ['/sign-out', '/search'],
    ['/search\nSet-Cookie: x=1', '/search'],
    ['', '/search'],
    [undefined, '/search'],
    [['/a', '/b'], '/search'],
  ])('%p → %p', (raw, expected) => {
    expect(safeReturnTo(raw)).toBe(expected);
  });
});

describe('signInUrl', () => {
  it.each([
    ['/search?q=bus stop', '/sign-in?returnTo=%2Fsearch%3Fq%3Dbus%20stop'],
    ['/', '/sign-in'],
    ['//evil.example', '/sign-in'],
  ])('%p → %p', (path, expected) => {
    expect(signInUrl(path)).toBe(expected);
  });
});

describe('formErrors', () => {
  it('is null without problems', () => {
    expect(formErrors([])).toBeNull();
  });

  it('links each message to its control and keeps the first message per control', () => {
    expect(
      formErrors([
        { field: 'email', message: 'Enter your email address' },
        { field: 'password', message: 'Enter your password' },
        { field: 'email', message: 'second' },
      ]),
    ).toEqual({
      summary: [
        { text: 'Enter your email address', href: '#email' },
        { text: 'Enter your password', href: '#password' },
        { text: 'second', href: '#email' },
      ],
      byField: {
        email: { text: 'Enter your email address' },
        password: { text: 'Enter your password' },
      },
    });
  });
});

describe('field', () => {
  it.each([
    [{ email: 'a@b.c' }, 'a@b.c'],
    [{ email: ['a', 'b'] }, ''],
    [{}, ''],
    [undefined, ''],
  ])('%p → %p', (body, expected) => {
    expect(field(body, 'email')).toBe(expected);
  });
});

describe('formProblem', () => {
  it.each([
    [
      new DomainError('invalid_input', 'Reason is too long'),
      { field: 'reason', message: 'Reason is too long' },
    ],
    [
      new DomainError('conflict', 'Already decided'),
      { field: 'reason', message: 'Already decided' },
    ],
    [new DomainError('not_found', 'Batch was not found'), null],
    [new DomainError('forbidden', 'Not yours'), null],
    [new Error('connection refused'), null],
  ])('%p → %p', (e, expected) => {
    expect(formProblem(e, 'reason')).toEqual(expected);
  });
});
