import { UnrecoverableError } from 'bullmq';
import { parsePayload } from './job-payloads';

describe('parsePayload', () => {
  const version = (data: unknown): { version: number } => {
    const v = (data as { version?: unknown }).version;
    if (typeof v !== 'number') throw new Error('job needs a version');
    return { version: v };
  };

  it('returns what the check reads', () => {
    expect(parsePayload(version, { version: 3 })).toEqual({ version: 3 });
  });

  it('makes a refused payload final, with the check’s message', () => {
    expect(() => parsePayload(version, {})).toThrow(UnrecoverableError);
    expect(() => parsePayload(version, {})).toThrow('job needs a version');
  });
});
