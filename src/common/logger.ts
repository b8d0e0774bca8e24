import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/env.schema';
import { readableLogStream } from './readable-log';

/**
 * JSON logs with a request id per request. Bodies and query strings are never logged (they can hold
 * feedback text or search terms); only method, route path, status and timing.
 */
/** Where logs go: stdout for the servers; the CLI points it at stderr so its own output stays clean. */
export const logTarget: { stream: NodeJS.WritableStream; level?: AppConfig['LOG_LEVEL'] } = {
  stream: process.stdout,
};

type LogLevel = NonNullable<AppConfig['LOG_LEVEL']>;

/**
 * Readable lines at `warn` for a person at a terminal (the start-up then shows little more than the
 * URL); JSON lines at `info` for log collectors, when the output is not a terminal or in production.
 */
export function logSettings(
  config: Pick<AppConfig, 'LOG_FORMAT' | 'LOG_LEVEL' | 'NODE_ENV'>,
  toTerminal: boolean,
): { format: 'json' | 'pretty'; level: LogLevel } {
  const format =
    config.LOG_FORMAT === 'auto'
      ? toTerminal && config.NODE_ENV !== 'production'
        ? 'pretty'
        : 'json'
      : config.LOG_FORMAT;
  return { format, level: config.LOG_LEVEL ?? (format === 'pretty' ? 'warn' : 'info') };
}

export function loggerParams(config: AppConfig): Params {
  const settings = logSettings(config, (logTarget.stream as { isTTY?: boolean }).isTTY === true);
  return {
    pinoHttp: {
      level: logTarget.level ?? settings.level,
      stream: settings.format === 'pretty' ? readableLogStream(logTarget.stream) : logTarget.stream,
      genReqId: (req: IncomingMessage) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && /^[A-Za-z0-9._-]{1,100}$/.test(given)
          ? given
          : randomUUID();
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      redact: {
        // The serializers above log no headers; these hold if one is ever logged another way.
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-api-key"]',
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
          '*.password',
          '*.text',
          '*.comment',
        ],
        remove: true,
      },
      autoLogging: { ignore: (req) => req.url === '/health' },
      customProps: () => ({ service: 'insight-bank' }),
    },
  };
}
