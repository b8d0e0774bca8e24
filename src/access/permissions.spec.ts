import { ANONYMOUS_ROLE, can, isRole, PERMISSION_NAMES, PERMISSIONS, ROLES } from './permissions';

describe('the permission table', () => {
  it('names only known roles', () => {
    for (const name of PERMISSION_NAMES)
      for (const role of PERMISSIONS[name]) expect([...ROLES, ANONYMOUS_ROLE]).toContain(role);
  });

  it('gives the admin every permission', () => {
    expect(PERMISSION_NAMES.filter((p) => !can('admin', p))).toEqual([]);
  });

  it('gives anonymous callers nothing but reading insight (and only when switched on)', () => {
    expect(PERMISSION_NAMES.filter((p) => can(ANONYMOUS_ROLE, p))).toEqual(['insights.read']);
  });

  // What each role must never be able to do: a change to the table that grants one fails here.
  it.each([
    ['partner', 'insights.export'],
    ['partner', 'insights.review'],
    ['partner', 'insights.rowLevelDemographics'],
    ['partner', 'moderation.manage'],
    ['partner', 'taxonomy.manage'],
    ['partner', 'audit.read'],
    ['partner', 'access.manage'],
    ['commissioner', 'insights.rowLevelDemographics'],
    ['commissioner', 'insights.review'],
    ['commissioner', 'batches.create'],
    ['commissioner', 'batches.delete'],
    ['commissioner', 'moderation.manage'],
    ['analyst', 'moderation.manage'],
    ['analyst', 'batches.delete'],
    ['analyst', 'audit.read'],
    ['moderator', 'audit.read'],
    ['moderator', 'access.manage'],
  ] as const)('%s does not have %s', (role, permission) => {
    expect(can(role, permission)).toBe(false);
  });

  it.each([
    ['partner', 'batches.create'],
    ['partner', 'batches.read'],
    ['partner', 'insights.read'],
    ['commissioner', 'insights.export'],
    ['analyst', 'insights.rowLevelDemographics'],
    ['analyst', 'insights.review'],
    ['moderator', 'moderation.manage'],
    ['moderator', 'taxonomy.manage'],
    ['admin', 'audit.read'],
  ] as const)('%s has %s', (role, permission) => {
    expect(can(role, permission)).toBe(true);
  });

  it('recognises roles exactly', () => {
    expect(ROLES.every(isRole)).toBe(true);
    for (const notRole of ['public', 'Admin', 'admin ', '', 'root'])
      expect(isRole(notRole)).toBe(false);
  });
});
