import { DomainError } from '../common/domain-error';
import { scopeForRequest } from './scope';

const ORG = '11111111-1111-4111-8111-111111111111';

describe('scopeForRequest', () => {
  it.each([
    [{}, 'admin', { includeUnapproved: true }, true, true],
    [{ 'x-insight-bank-role': 'moderator' }, 'moderator', { includeUnapproved: true }, true, true],
    [
      { 'x-insight-bank-role': 'Analyst' },
      'analyst',
      { sharingLevels: ['public', 'system', 'icb'] },
      true,
      true,
    ],
    [
      { 'x-insight-bank-role': 'commissioner' },
      'commissioner',
      { sharingLevels: ['public', 'system', 'icb'] },
      false,
      true,
    ],
    [
      { 'x-insight-bank-role': 'partner', 'x-insight-bank-organisation': ORG },
      'partner',
      { sharingLevels: ['public', 'system'], ownOrganisationId: ORG },
      false,
      false,
    ],
    [{ 'x-insight-bank-role': 'public' }, 'public', { sharingLevels: ['public'] }, false, false],
  ])('%j → %s', (headers, role, scope, rowLevel, canExport) => {
    expect(scopeForRequest({ headers })).toEqual({
      role,
      scope,
      rowLevelDemographics: rowLevel,
      canExport,
    });
  });

  it.each([
    [{ 'x-insight-bank-role': 'root' }, /x-insight-bank-role must be one of/],
    [{ 'x-insight-bank-organisation': 'hw-kent' }, /must be an organisation id/],
  ])('refuses %j', (headers, message) => {
    expect(() => scopeForRequest({ headers })).toThrow(DomainError);
    expect(() => scopeForRequest({ headers })).toThrow(message);
  });
});
