import { Writable } from 'node:stream';

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

interface LogRecord {
  level?: number;
  time?: number;
  context?: string;
  msg?: string;
  req?: { method?: string; path?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  err?: { message?: string; stack?: string };
}

/**
 * One JSON log line as a person reads it in a terminal: time, level, where from, message. It shows
 * only fields the JSON line already carries, so nothing the logger redacts can come back here.
 */
export function readableLogLine(json: string): string {
  let r: LogRecord;
  try {
    r = JSON.parse(json) as LogRecord;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const time = new Date(r.time ?? Date.now()).toTimeString().slice(0, 8);
  const level = (LEVELS[r.level ?? 30] ?? 'INFO').padEnd(5);
  const from = r.context ? `[${r.context}] ` : '';
  const request =
    r.req?.method && r.req.path
      ? ` ${r.req.method} ${r.req.path} ${r.res?.statusCode ?? ''}${r.responseTime !== undefined ? ` ${r.responseTime} ms` : ''}`
      : '';
  const error = r.err ? `\n  ${(r.err.stack ?? r.err.message ?? '').replace(/\n/g, '\n  ')}` : '';
  return `${time} ${level} ${from}${r.msg ?? ''}${request}${error}\n`;
}

/** A stream the logger writes JSON lines to, passing each on to `target` as a readable line. */
export function readableLogStream(target: NodeJS.WritableStream): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      pending += chunk.toString();
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        target.write(readableLogLine(pending.slice(0, nl)));
        pending = pending.slice(nl + 1);
      }
      done();
    },
  });
}
