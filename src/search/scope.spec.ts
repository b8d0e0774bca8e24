import type { Principal } from '../access/principal';
import { ANONYMOUS } from '../access/principal';
import { scopeForPrincipal, scopeForRequest } from './scope';

const ORG = '6f1c2f1e-8a4b-4c1d-9e2f-0a1b2c3d4e5f';
const who = (role: Principal['role'], organisationId: string | null = ORG): Principal => ({
  kind: 'api_key',
  id: 'k',
  role,
  organisationId,
  organisationCode: 'org',
  label: 'key:ib_00000000',
});

describe('scopeForPrincipal', () => {
  it.each([
    ['admin', { includeUnapproved: true }, true, true],
    ['moderator', { includeUnapproved: true }, true, true],
    ['analyst', { sharingLevels: ['public', 'system', 'icb'], ownOrganisationId: ORG }, true, true],
    [
      'commissioner',
      { sharingLevels: ['public', 'system', 'icb'], ownOrganisationId: ORG },
      false,
      true,
    ],
    ['partner', { sharingLevels: ['public', 'system'], ownOrganisationId: ORG }, false, false],
  ] as const)('%s sees %j', (role, scope, rowLevel, canExport) => {
    expect(scopeForPrincipal(who(role))).toEqual({
      role,
      scope,
      rowLevelDemographics: rowLevel,
      canExport,
    });
  });

  it('gives anonymous callers public insight only, without demographics or export', () => {
    expect(scopeForPrincipal(ANONYMOUS)).toEqual({
      role: 'public',
      scope: { sharingLevels: ['public'] },
      rowLevelDemographics: false,
      canExport: false,
    });
  });

  it('refuses a request the access guard has not authenticated', () => {
    expect(() => scopeForRequest({})).toThrow(/Sign in/);
  });
});
