import pino from 'pino';
import { PassThrough } from 'node:stream';
import { validateEnvironment } from '../config/env.schema';
import { loggerParams } from './logger';

const SECRETS = {
  authorization: 'Bearer ib_0123abcd_secretsecretsecretsecretsecretsecretsecret12',
  cookie: 'ib.sid=s%3Asessionid.signature',
  'x-api-key': 'ib_0123abcd_anothersecretanothersecretanothersecret12345',
  'x-csrf-token': 'csrf-token-value-1234',
};

/** One log line written with the bank's logger settings (or only its redaction). */
function logLine(obj: Record<string, unknown>, withSerializers: boolean): string {
  const params = loggerParams(validateEnvironment({ LOG_LEVEL: 'info' })).pinoHttp as {
    redact: { paths: string[]; remove: boolean };
    serializers: pino.LoggerOptions['serializers'];
  };
  const sink = new PassThrough();
  let out = '';
  sink.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const logger = pino(
    { redact: params.redact, ...(withSerializers ? { serializers: params.serializers } : {}) },
    sink,
  );
  logger.info(obj, 'request');
  return out;
}

describe('log lines', () => {
  it('name a request by id, method and path only: no headers, no query string', () => {
    const line = logLine(
      {
        req: {
          id: '1',
          method: 'GET',
          url: '/api/v1/insights/search?q=Dr+Patel',
          headers: SECRETS,
        },
      },
      true,
    );
    expect(JSON.parse(line)).toMatchObject({
      req: { id: '1', method: 'GET', path: '/api/v1/insights/search' },
    });
    for (const v of Object.values(SECRETS)) expect(line).not.toContain(v);
    expect(line).not.toContain('Patel');
  });

  it('drop credential headers even where headers are logged whole', () => {
    const line = logLine(
      {
        req: { headers: { ...SECRETS, accept: 'text/html' } },
        res: { headers: { 'set-cookie': 'ib.sid=s%3Anewsession.sig' } },
      },
      false,
    );
    expect(line).toContain('text/html'); // other headers stay
    for (const v of Object.values(SECRETS)) expect(line).not.toContain(v);
    expect(line).not.toContain('newsession');
  });

  it('drop fields that hold feedback text or passwords', () => {
    const line = logLine(
      {
        body: { password: 'hunter2hunter2', text: 'I saw Dr Patel', comment: 'my neighbour Jane' },
      },
      false,
    );
    expect(line).not.toContain('hunter2');
    expect(line).not.toContain('Dr Patel');
    expect(line).not.toContain('Jane');
  });
});
