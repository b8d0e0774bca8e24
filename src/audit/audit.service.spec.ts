import type { DataSource } from 'typeorm';
import type { Principal } from '../access/principal';
import { AUDIT_FLUSH_MS, AuditService } from './audit.service';

const who: Principal = {
  kind: 'api_key',
  id: 'k1',
  role: 'analyst',
  organisationId: null,
  organisationCode: null,
  label: 'key:ib_00000000',
};

/** A stand-in for PostgreSQL that records each statement and can be told to fail. */
function fakeDb() {
  const calls: Array<{ sql: string; params: unknown[] }> = [];
  let failures = 0;
  const ds = {
    query: (sql: string, params: unknown[]) => {
      if (failures > 0) {
        failures--;
        return Promise.reject(new Error('connection refused'));
      }
      calls.push({ sql, params });
      return Promise.resolve([]);
    },
  } as unknown as DataSource;
  return { ds, calls, failNext: (n: number) => (failures = n) };
}

const rowsIn = (c: { params: unknown[] }) => c.params.length / 11;

describe('AuditService: reads are written in batches', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-05T10:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it(`writes queued reads together, ${AUDIT_FLUSH_MS} ms later, each with the time it happened`, async () => {
    const db = fakeDb();
    const audit = new AuditService(db.ds);
    audit.recordSoon(
      { principal: who },
      { action: 'insights.search', details: { query: { q: 'a' } } },
    );
    jest.advanceTimersByTime(20);
    audit.recordSoon({ principal: who }, { action: 'insights.summary' });
    audit.recordSoon(
      { principal: who, requestId: 'r3', ip: '10.0.0.1' },
      { action: 'insights.trends' },
    );
    expect(db.calls).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(AUDIT_FLUSH_MS);
    expect(db.calls).toHaveLength(1);
    expect(db.calls[0].sql).toMatch(/^INSERT INTO audit_event \(occurred_at, /);
    expect(rowsIn(db.calls[0])).toBe(3);
    const p = db.calls[0].params;
    expect(p[0]).toEqual(new Date('2026-01-05T10:00:00.000Z'));
    expect(p[11]).toEqual(new Date('2026-01-05T10:00:00.020Z'));
    expect(p.slice(22)).toEqual([
      new Date('2026-01-05T10:00:00.020Z'),
      'api_key',
      'k1',
      'key:ib_00000000',
      null,
      'insights.trends',
      null,
      null,
      '{}',
      'r3',
      '10.0.0.1',
    ]);
    expect(p[8]).toBe('{"query":{"q":"a"}}');
  });

  it('writes at once when 200 are waiting, in statements of at most 200 rows', async () => {
    const db = fakeDb();
    const audit = new AuditService(db.ds);
    for (let i = 0; i < 450; i++)
      audit.recordSoon({ principal: who }, { action: 'insights.search' });
    await jest.advanceTimersByTimeAsync(0);
    await audit.flush();
    expect(db.calls.map(rowsIn)).toEqual([200, 200, 50]);
  });

  it('keeps the rows and retries when the database cannot be reached', async () => {
    const db = fakeDb();
    const audit = new AuditService(db.ds);
    db.failNext(1);
    audit.recordSoon({ principal: who }, { action: 'insights.search' });
    audit.recordSoon({ principal: who }, { action: 'insights.search' });
    await jest.advanceTimersByTimeAsync(AUDIT_FLUSH_MS);
    expect(db.calls).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(db.calls.map(rowsIn)).toEqual([2]);
  });

  it('writes what is queued when the process shuts down, and a change at once', async () => {
    const db = fakeDb();
    const audit = new AuditService(db.ds);
    audit.recordSoon({ principal: who }, { action: 'insights.search' });
    await audit.record({ principal: who }, { action: 'key.revoke', targetId: 'ib_1' });
    expect(db.calls.map(rowsIn)).toEqual([1]);
    expect(db.calls[0].params[5]).toBe('key.revoke');
    await audit.onModuleDestroy();
    expect(db.calls.map(rowsIn)).toEqual([1, 1]);
    expect(db.calls[1].params[5]).toBe('insights.search');
  });
});

/** A stand-in for PostgreSQL that refuses (SQLSTATE 22P02) any statement holding `bad-org`. */
function refusingDb() {
  const calls: Array<{ sql: string; params: unknown[] }> = [];
  const ds = {
    query: (sql: string, params: unknown[]) => {
      if (params.includes('bad-org'))
        return Promise.reject(Object.assign(new Error('invalid input syntax'), { code: '22P02' }));
      calls.push({ sql, params });
      return Promise.resolve([]);
    },
  } as unknown as DataSource;
  return { ds, calls };
}

describe('AuditService: a row PostgreSQL refuses', () => {
  it('is written in a safe form, and the rows queued behind it are written', async () => {
    const db = refusingDb();
    const audit = new AuditService(db.ds);
    audit.recordSoon(
      { principal: { ...who, organisationId: 'bad-org' }, requestId: 'r0' },
      { action: 'insights.search', details: { query: { q: 'not kept' } } },
    );
    for (let i = 1; i <= 3; i++)
      audit.recordSoon({ principal: who, requestId: `r${i}` }, { action: 'insights.search' });
    await audit.flush();
    expect(db.calls.map(rowsIn)).toEqual([1, 1, 1, 1]);
    expect(db.calls.map((c) => c.params[9])).toEqual(['r0', 'r1', 'r2', 'r3']);
    expect(db.calls[0].params[4]).toBeNull();
    expect(db.calls[0].params[8]).toBe(
      '{"notStored":"PostgreSQL refused this row (SQLSTATE 22P02)"}',
    );
    // Nothing is left to block later rows.
    audit.recordSoon({ principal: who, requestId: 'r4' }, { action: 'insights.search' });
    await audit.flush();
    expect(db.calls.map(rowsIn)).toEqual([1, 1, 1, 1, 1]);
  });

  it('replaces NUL bytes and half surrogate pairs before writing', async () => {
    const db = fakeDb();
    const audit = new AuditService(db.ds);
    await audit.record(
      { principal: { ...who, label: 'key:\u0000' }, requestId: 'r\u0000' },
      {
        action: 'insights.view',
        targetId: 'x\u0000',
        details: { ['k\u0000']: ['\uD800', 'fine 👍'] },
      },
    );
    const p = db.calls[0].params;
    expect([p[3], p[7], p[9]]).toEqual(['key:\uFFFD', 'x\uFFFD', 'r\uFFFD']);
    expect(JSON.parse(p[8] as string)).toEqual({ 'k\uFFFD': ['\uFFFD', 'fine 👍'] });
  });
});

describe('AuditService: shutdown', () => {
  it('writes a row queued after shutdown began at once, before the database closes', async () => {
    const db = fakeDb();
    const audit = new AuditService(db.ds);
    await audit.onModuleDestroy();
    audit.recordSoon({ principal: who }, { action: 'insights.search' });
    await audit.beforeApplicationShutdown();
    expect(db.calls.map(rowsIn)).toEqual([1]);
  });
});
