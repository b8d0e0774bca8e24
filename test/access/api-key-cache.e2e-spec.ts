import Redis from 'ioredis';
import { ApiKeyCache, KEY_CACHE_MS, type KnownKey } from '../../src/access/api-key-cache';
import { configFrom } from '../../src/config/config';
import { waitFor } from '../support/wait-for';

const RUN = `key-cache-${Date.now().toString(36)}`;

/** A cache as an api process with this queue prefix holds it. */
function cacheFor(prefix: string, env: Record<string, string> = {}): ApiKeyCache {
  return new ApiKeyCache(configFrom({ ...process.env, QUEUE_PREFIX: `${RUN}-${prefix}`, ...env }));
}

function known(prefix: string): KnownKey {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    prefix,
    secretHash: 'a'.repeat(64),
    role: 'analyst',
    organisationId: '00000000-0000-4000-8000-000000000002',
    organisationCode: 'test-org',
    expiresAt: null,
    revoked: false,
    lastUsedAt: null,
  };
}

describe('API key cache (real Redis publish/subscribe)', () => {
  const caches: ApiKeyCache[] = [];
  const make = (prefix: string, env?: Record<string, string>) => {
    const c = cacheFor(prefix, env);
    caches.push(c);
    return c;
  };
  let admin: Redis;

  beforeAll(() => {
    admin = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  });
  afterAll(async () => {
    for (const c of caches) await c.onModuleDestroy();
    await admin.quit();
  });

  /** The cache is in use once a key it is given can be read back. */
  async function ready(c: ApiKeyCache): Promise<void> {
    await waitFor('the revocation subscription', () => {
      c.set(known('ib_probe000'), Date.now(), c.generation);
      return Promise.resolve(c.get('ib_probe000', Date.now()) !== undefined);
    });
    c.evict('ib_probe000');
  }

  it('keeps nothing until it listens for revocations', () => {
    const c = make('unheard');
    c.set(known('ib_aaaaaaaa'), Date.now(), c.generation);
    expect(c.get('ib_aaaaaaaa', Date.now())).toBeUndefined();
  });

  it(`keeps a key for ${KEY_CACHE_MS / 1000} s at most`, async () => {
    const c = make('expiry');
    c.listen();
    await ready(c);
    const t = Date.now();
    c.set(known('ib_bbbbbbbb'), t, c.generation);
    expect(c.get('ib_bbbbbbbb', t + KEY_CACHE_MS - 1)?.role).toBe('analyst');
    expect(c.get('ib_bbbbbbbb', t + KEY_CACHE_MS)).toBeUndefined();
    // gone for good, not just hidden
    expect(c.get('ib_bbbbbbbb', t)).toBeUndefined();
  });

  it('does not keep a key read while a revocation arrived', async () => {
    const c = make('race');
    c.listen();
    await ready(c);
    const before = c.generation; // a request starts reading the key from PostgreSQL
    c.evict('ib_gggggggg'); // the revocation is heard before the read returns
    c.set(known('ib_gggggggg'), Date.now(), before);
    expect(c.get('ib_gggggggg', Date.now())).toBeUndefined();
    c.set(known('ib_gggggggg'), Date.now(), c.generation); // a read begun after it is kept
    expect(c.get('ib_gggggggg', Date.now())?.prefix).toBe('ib_gggggggg');
  });

  it('forgets a key that another process revoked, within a second', async () => {
    const api = make('shared');
    const cli = make('shared');
    api.listen();
    await ready(api);
    api.set(known('ib_cccccccc'), Date.now(), api.generation);
    api.set(known('ib_dddddddd'), Date.now(), api.generation);
    await cli.revoked('ib_cccccccc');
    await waitFor(
      'the revocation to arrive',
      () => Promise.resolve(api.get('ib_cccccccc', Date.now()) === undefined),
      1_000,
      10,
    );
    expect(api.get('ib_dddddddd', Date.now())?.prefix).toBe('ib_dddddddd');
  });

  it('stops using what it kept while its subscription is down, and starts again after', async () => {
    const c = make('killed');
    c.listen();
    await ready(c);
    c.set(known('ib_eeeeeeee'), Date.now(), c.generation);
    const list = await admin.client('LIST');
    const line = String(list)
      .split('\n')
      .find((l) => l.includes(` name=${RUN}-killed:api-key-revocations `));
    const id = /(?:^|\s)id=(\d+)/.exec(line ?? '')?.[1];
    expect(id).toBeDefined();
    await admin.client('KILL', 'ID', id!);
    await waitFor(
      'the cache to stop being used',
      () => Promise.resolve(c.get('ib_eeeeeeee', Date.now()) === undefined),
      1_000,
      10,
    );
    // A revocation sent while it was away cannot be heard; the entry must not come back.
    await ready(c);
    expect(c.get('ib_eeeeeeee', Date.now())).toBeUndefined();
  });

  it('keeps nothing when Redis cannot be reached', async () => {
    const c = make('unreachable', { REDIS_URL: 'redis://127.0.0.1:1' });
    c.listen();
    // Time for the subscription to try to connect, and fail: nothing to wait for but the time.
    await new Promise((r) => setTimeout(r, 300));
    c.set(known('ib_ffffffff'), Date.now(), c.generation);
    expect(c.get('ib_ffffffff', Date.now())).toBeUndefined();
  });
});
