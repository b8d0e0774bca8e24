import {
  API_KEY_PATTERN,
  hashPassword,
  newApiKey,
  parseApiKey,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  passwordProblem,
  sameHash,
  sha256Hex,
  verifyPassword,
} from './credentials';

describe('API keys', () => {
  it('are ib_<8 hex>_<43 base64url>, with the hash of the secret alone kept', () => {
    const k = newApiKey();
    expect(k.key).toMatch(API_KEY_PATTERN);
    expect(k.key).toBe(`${k.prefix}_${k.secret}`);
    expect(k.secretHash).toBe(sha256Hex(k.secret));
    expect(k.secretHash).not.toContain(k.secret);
    expect(parseApiKey(k.key)).toEqual({ prefix: k.prefix, secret: k.secret });
  });

  it('are different every time (256-bit secrets)', () => {
    const keys = new Set(Array.from({ length: 50 }, () => newApiKey().key));
    expect(keys.size).toBe(50);
    expect(Buffer.from(newApiKey().secret, 'base64url')).toHaveLength(32);
  });

  it.each([
    '',
    'ib_',
    'ib_1234567_' + 'A'.repeat(43),
    'ib_123456789_' + 'A'.repeat(43),
    'ib_1234567g_' + 'A'.repeat(43),
    'ib_12345678_' + 'A'.repeat(42),
    'ib_12345678_' + 'A'.repeat(44),
    'ib_12345678_' + 'A'.repeat(42) + '=',
    'xx_12345678_' + 'A'.repeat(43),
    'IB_12345678_' + 'A'.repeat(43),
    'ib_12345678_' + 'A'.repeat(43) + '\nib_12345678_' + 'A'.repeat(43),
  ])('refuses the malformed key %j', (raw) => {
    expect(parseApiKey(raw)).toBeNull();
  });

  it('compares hashes of equal length only, in constant time', () => {
    const h = sha256Hex('secret');
    expect(sameHash(h, sha256Hex('secret'))).toBe(true);
    expect(sameHash(h, sha256Hex('Secret'))).toBe(false);
    expect(sameHash(h, h.slice(0, 62))).toBe(false);
    expect(sameHash(h, '')).toBe(false);
  });
});

describe('passwords', () => {
  it.each([
    ['a'.repeat(PASSWORD_MIN_LENGTH - 1), /at least 12/],
    ['a'.repeat(PASSWORD_MAX_LENGTH + 1), /at most 128/],
  ])('refuses %j', (password, problem) => {
    expect(passwordProblem(password)).toMatch(problem);
  });

  it.each(['a'.repeat(PASSWORD_MIN_LENGTH), 'correct horse battery staple', 'ünïcödé passwörd ✓'])(
    'accepts %j (no composition rules, as ASVS asks)',
    (password) => {
      expect(passwordProblem(password)).toBeNull();
    },
  );

  it('hashes with scrypt and a fresh salt, and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{43}\$[A-Za-z0-9_-]{86}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery staple', a)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('refuses stored hashes it does not recognise rather than accepting them', async () => {
    for (const stored of ['', 'plain-text-password', 'bcrypt$10$abc', 'scrypt$1$2$3'])
      expect(await verifyPassword('plain-text-password', stored)).toBe(false);
  });
});
