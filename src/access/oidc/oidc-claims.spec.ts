import {
  claim,
  claimStrings,
  emailFrom,
  mapClaims,
  organisationFrom,
  roleFrom,
  safeReturnTo,
} from './oidc-claims';
import { parseRoleMap } from './oidc-settings';

const roleMap = parseRoleMap(
  'InsightBank.Analyst=analyst,InsightBank.Admin=admin,InsightBank.Moderator=moderator,8f4c-group=partner',
).mappings;
const settings = { roleClaim: 'roles', roleMap, orgClaim: undefined, defaultOrg: 'icb-kent' };
const ISS = 'https://login.microsoftonline.com/tenant/v2.0';

describe('role from claims', () => {
  it.each([
    [['InsightBank.Admin'], 'admin'],
    [['Other', 'InsightBank.Moderator'], 'moderator'],
    // Several mapped values: the first in OIDC_ROLE_MAP wins (analyst is listed before admin).
    [['InsightBank.Admin', 'InsightBank.Analyst'], 'analyst'],
    [['8f4c-group'], 'partner'],
    [['insightbank.admin'], null], // values are matched exactly
    [[], null],
  ])('%j gives %s', (values, role) => {
    expect(roleFrom(values, roleMap)).toBe(role);
  });

  it.each([
    ['InsightBank.Admin', ['InsightBank.Admin']],
    [
      ['a', 7, null, { x: 1 }, ' b '],
      ['a', '7', 'b'],
    ],
    [undefined, []],
    [true, []],
  ])('reads claim value %j as %j', (value, strings) => {
    expect(claimStrings(value)).toEqual(strings);
  });

  it('reaches nested claims by a dotted name unless a claim has that exact name', () => {
    const claims = {
      realm_access: { roles: ['InsightBank.Admin'] },
      'https://example.org/roles': ['x'],
    };
    expect(claim(claims, 'realm_access.roles')).toEqual(['InsightBank.Admin']);
    expect(claim(claims, 'https://example.org/roles')).toEqual(['x']);
    expect(claim(claims, 'realm_access.missing')).toBeUndefined();
    expect(claim(claims, 'constructor')).toBeUndefined();
  });
});

describe('email and organisation from claims', () => {
  it.each([
    [{ email: 'A.Person@NHS.net', preferred_username: 'x@y.org' }, 'a.person@nhs.net'],
    [{ preferred_username: 'p.person@kent.nhs.uk' }, 'p.person@kent.nhs.uk'],
    [{ email: 'not-an-email', upn: 'u.person@medway.nhs.uk' }, 'u.person@medway.nhs.uk'],
    [{ preferred_username: 'someone' }, null],
    [{}, null],
  ])('%j gives %s', (claims, email) => {
    expect(emailFrom(claims)).toBe(email);
  });

  it.each([
    [{ ods: 'RVV' }, 'ods', 'icb-kent', 'RVV'],
    [{ ods: ['RVV', 'RWF'] }, 'ods', 'icb-kent', 'RVV'],
    [{}, 'ods', 'icb-kent', 'icb-kent'],
    [{ ods: '' }, 'ods', undefined, null],
    [{ ods: 'RVV' }, undefined, 'icb-kent', 'icb-kent'],
    [{}, undefined, undefined, null],
  ])('%j with claim %s and default %s gives %s', (claims, orgClaim, defaultOrg, code) => {
    expect(organisationFrom(claims, orgClaim, defaultOrg)).toBe(code);
  });
});

describe('mapping an ID token to a bank user', () => {
  const base = {
    iss: ISS,
    sub: 'subject-1',
    name: ' A Person ',
    preferred_username: 'a.person@nhs.net',
    roles: ['InsightBank.Moderator'],
  };

  it('maps a person with a mapped role', () => {
    expect(mapClaims(base, settings)).toEqual({
      ok: true,
      identity: {
        issuer: ISS,
        subject: 'subject-1',
        email: 'a.person@nhs.net',
        displayName: 'A Person',
        role: 'moderator',
        organisationCode: 'icb-kent',
        emailVerified: true,
      },
    });
  });

  it('takes the organisation from the organisation claim when configured', () => {
    const r = mapClaims({ ...base, ods: 'RVV' }, { ...settings, orgClaim: 'ods' });
    expect(r.ok && r.identity.organisationCode).toBe('RVV');
  });

  it('marks an email the provider says is unverified', () => {
    const r = mapClaims({ ...base, email_verified: false }, settings);
    expect(r.ok && r.identity.emailVerified).toBe(false);
  });

  it.each([
    [{ sub: undefined }, 'no_subject'],
    [{ preferred_username: 'no-at-sign' }, 'no_email'],
    [{ roles: ['Other.Role'] }, 'no_role'],
    [{ roles: undefined }, 'no_role'],
  ])('refuses %j: %s', (change, reason) => {
    const r = mapClaims({ ...base, ...change }, settings);
    expect(r).toMatchObject({ ok: false, reason });
  });

  it('says which role values it saw, so an administrator can map them', () => {
    const r = mapClaims({ ...base, roles: ['Other.Role', 'Reader'] }, settings);
    expect(r).toEqual({
      ok: false,
      reason: 'no_role',
      email: 'a.person@nhs.net',
      roleClaimValues: ['Other.Role', 'Reader'],
      message:
        'Your account has no Insight Bank role. Ask your administrator to assign you one of the Insight Bank roles, then sign in again.',
    });
  });

  it('refuses when neither the claim nor a default names an organisation', () => {
    const r = mapClaims(base, { ...settings, orgClaim: 'ods', defaultOrg: undefined });
    expect(r).toMatchObject({ ok: false, reason: 'no_organisation' });
  });
});

describe('returnTo after signing in', () => {
  it.each([
    ['/', '/'],
    ['/search?q=waiting%20times#results', '/search?q=waiting%20times#results'],
    ['/batches/1/../2', '/batches/2'],
    // Still percent-encoded, so no header can be injected.
    ['/%0d%0aSet-Cookie:x', '/%0d%0aSet-Cookie:x'],
  ])('keeps the path %j', (raw, kept) => {
    expect(safeReturnTo(raw)).toBe(kept);
  });

  it.each([
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example/',
    '\\\\evil.example',
    'javascript:alert(1)',
    '/ok\nLocation: https://evil.example',
    'search',
    '',
    '/auth/oidc/login',
    ['/', '/x'],
    undefined,
    '/' + 'a'.repeat(2001),
  ])('refuses %j (never an open redirect)', (raw) => {
    expect(safeReturnTo(raw)).toBeUndefined();
  });
});
