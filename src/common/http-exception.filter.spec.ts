import { type ArgumentsHost, Logger, NotFoundException } from '@nestjs/common';
import { json, urlencoded } from 'express';
import { Readable } from 'node:stream';
import {
  AllExceptionsFilter,
  bodyReadError,
  stackFrames,
  type ErrorBody,
} from './http-exception.filter';
import { DomainError } from './domain-error';

/** What one of Express's body parsers passes on for this body (an error, or nothing). */
function parse(
  parser: ReturnType<typeof json>,
  body: string,
  contentType = 'application/json',
): Promise<unknown> {
  const raw = Buffer.from(body, 'utf8');
  const req = Object.assign(Readable.from([raw]), {
    headers: { 'content-type': contentType, 'content-length': String(raw.length) },
    method: 'POST',
  });
  return new Promise((resolve) => parser(req as never, {} as never, (e?: unknown) => resolve(e)));
}

function answer(filter: AllExceptionsFilter, error: unknown): { status: number; body: ErrorBody } {
  const out = { status: 0, body: {} as ErrorBody };
  const res = {
    headersSent: false,
    status(s: number) {
      out.status = s;
      return this;
    },
    json(b: ErrorBody) {
      out.body = b;
      return this;
    },
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => res, getRequest: () => ({ path: '/api/v1/x' }) }),
  } as unknown as ArgumentsHost;
  filter.catch(error, host);
  return out;
}

const PATIENT_TEXT = 'Jane Smith of 12 Acacia Avenue, 07700 900123';

describe('errors of the body parsers', () => {
  it('answer 413 for a JSON body over the limit, naming the limit', async () => {
    const e = await parse(json({ limit: '1kb' }), JSON.stringify({ text: 'x'.repeat(2000) }));
    const answered = answer(new AllExceptionsFilter(), e);
    expect(answered.status).toBe(413);
    expect(answered.body).toEqual({
      statusCode: 413,
      code: 'payload_too_large',
      message: 'The request body is larger than the limit of 1 KB.',
      details: { limitBytes: 1024 },
    });
  });

  it('answer 413 for a form over the limit too', async () => {
    const e = await parse(
      urlencoded({ limit: '1kb' }),
      `a=${'x'.repeat(2000)}`,
      'application/x-www-form-urlencoded',
    );
    expect(bodyReadError(e)?.statusCode).toBe(413);
  });

  it('answer 400 for JSON that does not parse, without quoting the body', async () => {
    const e = await parse(json(), `{"comment": "${PATIENT_TEXT}"`);
    const answered = answer(new AllExceptionsFilter(), e);
    expect(answered.status).toBe(400);
    expect(answered.body).toEqual({
      statusCode: 400,
      code: 'invalid_input',
      message: 'The request body is not valid JSON.',
    });
    expect(JSON.stringify(answered.body)).not.toContain('Acacia');
  });

  it('answer 415 for a charset the parser does not read', async () => {
    const e = await parse(json(), '{}', 'application/json; charset=klingon');
    expect(bodyReadError(e)).toMatchObject({ statusCode: 415, code: 'invalid_input' });
  });

  it('leave other errors alone', () => {
    expect(bodyReadError(new Error('boom'))).toBeUndefined();
    expect(
      bodyReadError(Object.assign(new Error('x'), { status: 500, expose: false })),
    ).toBeUndefined();
    expect(bodyReadError('a string')).toBeUndefined();
  });
});

describe('unknown errors', () => {
  let logged: unknown[] = [];
  beforeEach(() => {
    logged = [];
    jest.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(args);
    });
  });
  afterEach(() => jest.restoreAllMocks());

  it('answer 500 with an error id, and log neither the message nor the stack’s message line', () => {
    const e = Object.assign(new Error(`invalid input syntax for type uuid: "${PATIENT_TEXT}"`), {
      code: '22P02',
    });
    const answered = answer(new AllExceptionsFilter(), e);
    expect(answered.status).toBe(500);
    expect(answered.body.message).toMatch(
      /^Something went wrong on our side \(error id [0-9a-f-]{36}\)\.$/,
    );
    const text = JSON.stringify(logged);
    expect(text).not.toContain('Acacia');
    expect(text).not.toContain('invalid input syntax');
    expect(text).toContain('22P02');
    expect(text).toContain('http-exception.filter.spec'); // the frames are kept
    expect(text).toContain(answered.body.message.match(/[0-9a-f-]{36}/)![0]);
  });

  it('keep only the frames of a stack whose message spans lines', () => {
    const e = new Error(`first line\n${PATIENT_TEXT}\nthird line`);
    const frames = stackFrames(e)!;
    expect(frames).not.toContain('Acacia');
    expect(frames.split('\n').every((l) => /^\s+at /.test(l))).toBe(true);
    expect(stackFrames({})).toBeUndefined();
  });
});

describe('known errors', () => {
  it('map domain errors and HTTP exceptions to their status', () => {
    const filter = new AllExceptionsFilter();
    expect(answer(filter, new DomainError('forbidden', 'no')).body).toEqual({
      statusCode: 403,
      code: 'forbidden',
      message: 'no',
    });
    expect(answer(filter, new NotFoundException('Cannot GET /x')).status).toBe(404);
  });
});
