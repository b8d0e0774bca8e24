import type { Request } from 'express';
import { csrf } from './csrf';

function request(headers: Record<string, string>, query: Record<string, unknown> = {}): Request {
  return {
    method: 'POST',
    headers,
    query,
    body: {},
    session: {},
  } as unknown as Request;
}

describe('csrf token sources', () => {
  it('takes the token from the address of a multipart upload (its body is read later)', () => {
    const req = request({ 'content-type': 'multipart/form-data; boundary=x' });
    const token = csrf.generateToken(req);
    (req as unknown as { query: Record<string, unknown> }).query = { _csrf: token };
    expect(csrf.isRequestValid(req)).toBe(true);
  });

  it('does not take it from the address of any other request', () => {
    const req = request({ 'content-type': 'application/x-www-form-urlencoded' });
    const token = csrf.generateToken(req);
    (req as unknown as { query: Record<string, unknown> }).query = { _csrf: token };
    expect(csrf.isRequestValid(req)).toBe(false);
  });

  it('refuses a wrong token in the address', () => {
    const req = request({ 'content-type': 'multipart/form-data; boundary=x' });
    csrf.generateToken(req);
    (req as unknown as { query: Record<string, unknown> }).query = { _csrf: 'not-the-token' };
    expect(csrf.isRequestValid(req)).toBe(false);
  });
});
