import { ANONYMOUS, type Principal } from './principal';
import { actorFor, actorOf } from './actor';

const ORG = '6f1c2f1e-8a4b-4c1d-9e2f-0a1b2c3d4e5f';
const who = (role: Principal['role'], organisationId: string | null = ORG): Principal => ({
  kind: 'api_key',
  id: 'k',
  role,
  organisationId,
  organisationCode: 'org',
  label: 'key:ib_00000000',
});

describe('actorFor', () => {
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
    expect(actorFor(who(role))).toEqual({
      principal: who(role),
      role,
      scope,
      rowLevelDemographics: rowLevel,
      canExport,
      requestId: null,
      ip: null,
    });
  });

  it('gives anonymous callers public insight only, without demographics or export', () => {
    expect(actorFor(ANONYMOUS)).toMatchObject({
      role: 'public',
      scope: { sharingLevels: ['public'] },
      rowLevelDemographics: false,
      canExport: false,
    });
  });
});

describe('actorOf', () => {
  it('carries the request id and client address for the audit log', () => {
    expect(actorOf({ principal: ANONYMOUS, id: 7, ip: '192.0.2.1' })).toMatchObject({
      principal: ANONYMOUS,
      requestId: '7',
      ip: '192.0.2.1',
    });
  });

  it('refuses a request the access guard has not authenticated', () => {
    expect(() => actorOf({ ip: undefined })).toThrow(/Sign in/);
  });
});
