import { readableLogLine } from './readable-log';
import { logSettings } from './logger';

describe('logs for a person at a terminal', () => {
  it('are readable lines at warn; JSON at info when not a terminal or in production', () => {
    const auto = { LOG_FORMAT: 'auto', LOG_LEVEL: undefined, NODE_ENV: 'development' } as const;
    expect(logSettings(auto, true)).toEqual({ format: 'pretty', level: 'warn' });
    expect(logSettings(auto, false)).toEqual({ format: 'json', level: 'info' });
    expect(logSettings({ ...auto, NODE_ENV: 'production' }, true)).toEqual({
      format: 'json',
      level: 'info',
    });
    expect(logSettings({ ...auto, LOG_LEVEL: 'debug' }, true)).toEqual({
      format: 'pretty',
      level: 'debug',
    });
    expect(logSettings({ ...auto, LOG_FORMAT: 'json' }, true).format).toBe('json');
  });

  it('show time, level, context, message, request and error', () => {
    const time = new Date(2026, 0, 2, 13, 4, 5).getTime();
    expect(
      readableLogLine(
        JSON.stringify({ level: 40, time, context: 'Sweeper', msg: 'Redis is slow', pid: 1 }),
      ),
    ).toBe('13:04:05 WARN  [Sweeper] Redis is slow\n');
    expect(
      readableLogLine(
        JSON.stringify({
          level: 50,
          time,
          msg: 'request errored',
          req: { method: 'GET', path: '/api/v1/batches' },
          res: { statusCode: 500 },
          responseTime: 12,
          err: { message: 'boom', stack: 'Error: boom\n    at x' },
        }),
      ),
    ).toBe(
      '13:04:05 ERROR request errored GET /api/v1/batches 500 12 ms\n  Error: boom\n      at x\n',
    );
    expect(readableLogLine('not json')).toBe('not json\n');
  });
});
