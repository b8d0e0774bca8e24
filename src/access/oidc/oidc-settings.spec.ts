import { ConfigValidationError, validateEnvironment } from '../../config/env.schema';
import { oidcButton, oidcProblems, oidcSettingsFrom, parseRoleMap } from './oidc-settings';

const ENTRA = 'https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0';
const CALLBACK = 'https://bank.example.nhs.uk/auth/oidc/callback';

const complete = {
  OIDC_ISSUER: ENTRA,
  OIDC_CLIENT_ID: 'insight-bank',
  OIDC_CLIENT_SECRET: 'a-very-secret-value-1234',
  OIDC_REDIRECT_URL: CALLBACK,
  OIDC_ROLE_MAP: 'InsightBank.Admin=admin, InsightBank.Analyst=analyst',
  OIDC_DEFAULT_ORG: 'icb-kent',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    validateEnvironment(env);
  } catch (e) {
    if (e instanceof ConfigValidationError) return e.problems;
    throw e;
  }
  return [];
}

describe('OIDC_ROLE_MAP', () => {
  it.each([
    [
      'InsightBank.Admin=admin,InsightBank.Moderator=moderator',
      [
        { claimValue: 'InsightBank.Admin', role: 'admin' },
        { claimValue: 'InsightBank.Moderator', role: 'moderator' },
      ],
    ],
    [
      ' a = analyst ,, b=partner, ',
      [
        { claimValue: 'a', role: 'analyst' },
        { claimValue: 'b', role: 'partner' },
      ],
    ],
    // The last "=" splits, so values that hold "=" (URIs, base64 ids) work.
    [
      'https://x.example/g?id=7=commissioner',
      [{ claimValue: 'https://x.example/g?id=7', role: 'commissioner' }],
    ],
  ])('parses %j in order', (raw, mappings) => {
    expect(parseRoleMap(raw)).toEqual({ mappings, problems: [] });
  });

  it.each([
    ['Admins', 'OIDC_ROLE_MAP entry "Admins" must look like <claim value>=<role>'],
    ['=admin', 'OIDC_ROLE_MAP entry "=admin" must look like <claim value>=<role>'],
    ['Admins=', 'OIDC_ROLE_MAP entry "Admins=" must look like <claim value>=<role>'],
    [
      'Admins=boss',
      'OIDC_ROLE_MAP entry "Admins=boss": boss is not a role (one of admin, moderator, commissioner, analyst, partner)',
    ],
    ['A=admin,A=analyst', 'OIDC_ROLE_MAP names the claim value "A" more than once'],
    [' , ', 'OIDC_ROLE_MAP must map at least one claim value to a role'],
  ])('refuses %j', (raw, problem) => {
    expect(parseRoleMap(raw).problems).toEqual([problem]);
  });
});

describe('OIDC configuration', () => {
  it('is off, with the default button, when OIDC_ISSUER is unset', () => {
    const c = validateEnvironment({ OIDC_CLIENT_ID: 'ignored-without-an-issuer' });
    expect(oidcSettingsFrom(c)).toBeNull();
    expect(oidcButton(c)).toEqual({ enabled: false, label: 'Sign in with your NHS account' });
    expect(c).toMatchObject({
      OIDC_SCOPES: 'openid email profile',
      OIDC_ROLE_CLAIM: 'roles',
      OIDC_BUTTON_LABEL: 'Sign in with your NHS account',
    });
  });

  it('treats empty values (as in .env.example) as unset or default', () => {
    const c = validateEnvironment({
      OIDC_ISSUER: '',
      OIDC_SCOPES: '',
      OIDC_ROLE_CLAIM: ' ',
      OIDC_BUTTON_LABEL: '',
    });
    expect(oidcSettingsFrom(c)).toBeNull();
    expect(c.OIDC_SCOPES).toBe('openid email profile');
    expect(c.OIDC_ROLE_CLAIM).toBe('roles');
    expect(c.OIDC_BUTTON_LABEL).toBe('Sign in with your NHS account');
  });

  it('builds the settings from a complete set-up', () => {
    const c = validateEnvironment({
      ...complete,
      OIDC_ORG_CLAIM: 'ods_code',
      OIDC_BUTTON_LABEL: 'Sign in with Kent and Medway NHS',
    });
    const s = oidcSettingsFrom(c)!;
    expect(s.issuer.href).toBe(ENTRA);
    expect(s).toMatchObject({
      allowInsecureIssuer: false,
      clientId: 'insight-bank',
      clientSecret: 'a-very-secret-value-1234',
      scopes: 'openid email profile',
      roleClaim: 'roles',
      orgClaim: 'ods_code',
      defaultOrg: 'icb-kent',
      buttonLabel: 'Sign in with Kent and Medway NHS',
      roleMap: [
        { claimValue: 'InsightBank.Admin', role: 'admin' },
        { claimValue: 'InsightBank.Analyst', role: 'analyst' },
      ],
    });
    expect(s.redirectUrl.href).toBe(CALLBACK);
    expect(oidcButton(c)).toEqual({ enabled: true, label: 'Sign in with Kent and Medway NHS' });
  });

  it('names every missing variable in one message when OIDC_ISSUER is set', () => {
    expect(problemsOf({ OIDC_ISSUER: ENTRA })).toEqual([
      'OIDC_CLIENT_ID, OIDC_REDIRECT_URL, OIDC_ROLE_MAP must be set when OIDC_ISSUER is set (OIDC sign-in needs them)',
      'OIDC_DEFAULT_ORG or OIDC_ORG_CLAIM must be set when OIDC_ISSUER is set (the organisation of people who sign in)',
    ]);
    const { OIDC_REDIRECT_URL: _unused, ...withoutRedirect } = complete;
    expect(problemsOf(withoutRedirect)).toEqual([
      'OIDC_REDIRECT_URL must be set when OIDC_ISSUER is set (OIDC sign-in needs it)',
    ]);
    expect(problemsOf({ ...complete, OIDC_DEFAULT_ORG: '', OIDC_ORG_CLAIM: 'ods' })).toEqual([]);
  });

  it.each([
    [{ OIDC_ISSUER: 'http://login.example.com/tenant' }, /^OIDC_ISSUER must be an https:\/\/ URL/],
    [{ OIDC_ISSUER: 'not a url' }, /^OIDC_ISSUER must be a URL/],
    [{ OIDC_ISSUER: `${ENTRA}?x=1` }, /^OIDC_ISSUER must not carry a query/],
    [
      { OIDC_REDIRECT_URL: 'http://bank.example.nhs.uk/auth/oidc/callback' },
      /^OIDC_REDIRECT_URL must be an https:\/\/ URL/,
    ],
    [
      { OIDC_REDIRECT_URL: 'https://bank.example.nhs.uk/callback' },
      /^OIDC_REDIRECT_URL must end with \/auth\/oidc\/callback/,
    ],
    [{ OIDC_SCOPES: 'email profile' }, /^OIDC_SCOPES must include openid/],
    [{ OIDC_ROLE_MAP: 'Admins=root' }, /root is not a role/],
  ])('refuses %j', (change, problem) => {
    const problems = problemsOf({ ...complete, ...change });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
  });

  it('allows http:// only on this machine (a development identity provider)', () => {
    const c = validateEnvironment({
      ...complete,
      OIDC_ISSUER: 'http://127.0.0.1:9400',
      OIDC_REDIRECT_URL: 'http://localhost:3000/auth/oidc/callback',
    });
    expect(oidcSettingsFrom(c)?.allowInsecureIssuer).toBe(true);
    expect(oidcProblems({ ...c, OIDC_ISSUER: 'http://localhost/realms/dev' })).toEqual([]);
  });

  it('never quotes the client secret in a problem', () => {
    let message = '';
    try {
      validateEnvironment({ ...complete, OIDC_CLIENT_ID: '', OIDC_ISSUER: 'ftp://x' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('OIDC_CLIENT_ID');
    expect(message).toContain('OIDC_ISSUER');
    expect(message).not.toContain(complete.OIDC_CLIENT_SECRET);
  });
});
