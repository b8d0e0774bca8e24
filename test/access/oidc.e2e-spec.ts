import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { http } from '../support/auth';
import { BankProcess } from '../support/bank-process';
import { ensureOrg } from '../support/batches';
import { TestOidcProvider } from '../support/oidc-provider';
import { freePort } from '../support/redis-server';
import { createTestApp, truncateAll } from '../support/test-app';

const CLIENT_ID = 'insight-bank-test';
const CLIENT_SECRET = 'test-client-secret-0123456789';
const ORG = 'icb-oidc';
const OTHER_ORG = 'hw-oidc';

/** A browser with one cookie jar for the bank; follows redirects by hand. */
class Browser {
  cookie = '';

  async get(url: string, accept = 'application/json'): Promise<Response> {
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { accept, ...(this.cookie ? { cookie: this.cookie } : {}) },
    });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('ib.sid='));
    if (set) this.cookie = set.split(';')[0];
    return res;
  }
}

interface AuditRow {
  action: string;
  actor: string;
  details: Record<string, unknown>;
}

describe('OIDC sign-in against a local identity provider', () => {
  let app: INestApplication;
  let ds: DataSource;
  let idp: TestOidcProvider;
  const bank = new BankProcess();

  beforeAll(async () => {
    app = await createTestApp('api');
    await truncateAll(app);
    ds = app.get(DataSource);
    await ensureOrg(app, ORG, 'icb');
    await ensureOrg(app, OTHER_ORG, 'healthwatch');
    idp = await TestOidcProvider.start(CLIENT_ID, CLIENT_SECRET);
    const port = await freePort();
    await bank.start(
      {
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: CLIENT_ID,
        OIDC_CLIENT_SECRET: CLIENT_SECRET,
        OIDC_REDIRECT_URL: `http://127.0.0.1:${port}/auth/oidc/callback`,
        OIDC_ROLE_MAP:
          'InsightBank.Analyst=analyst,InsightBank.Admin=admin,InsightBank.Partner=partner',
        OIDC_ORG_CLAIM: 'ods',
        OIDC_DEFAULT_ORG: ORG,
        OIDC_BUTTON_LABEL: 'Sign in with Kent and Medway NHS',
      },
      port,
    );
  }, 180000);

  afterAll(async () => {
    await bank.stop();
    await idp?.close();
    await app?.close();
  });

  beforeEach(() => {
    idp.next = {};
  });

  /** Login → provider → callback, as a browser does; `tamper` changes the callback URL first. */
  async function signIn(
    browser: Browser,
    opts: { returnTo?: string; tamper?: (callback: URL) => void; accept?: string } = {},
  ): Promise<{ res: Response; callbackUrl: URL; sessionBefore: string }> {
    const q = opts.returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(opts.returnTo)}`;
    const login = await browser.get(`${bank.url}/auth/oidc/login${q}`);
    expect(login.status).toBe(302);
    const sessionBefore = browser.cookie;
    expect(sessionBefore).toMatch(/^ib\.sid=/);
    const authorize = new URL(login.headers.get('location')!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${idp.issuer}/authorize`);
    const back = await fetch(authorize, { redirect: 'manual' });
    expect(back.status).toBe(302);
    const callbackUrl = new URL(back.headers.get('location')!);
    expect(callbackUrl.href.startsWith(`${bank.url}/auth/oidc/callback?`)).toBe(true);
    opts.tamper?.(callbackUrl);
    const res = await browser.get(callbackUrl.href, opts.accept);
    return { res, callbackUrl, sessionBefore };
  }

  async function me(browser: Browser): Promise<Response> {
    return browser.get(`${bank.url}/api/v1/auth/me`);
  }

  async function lastAudit(action: string): Promise<AuditRow | undefined> {
    const rows = await ds.query<AuditRow[]>(
      `SELECT action, actor, details FROM audit_event WHERE action = $1 ORDER BY id DESC LIMIT 1`,
      [action],
    );
    return rows[0];
  }

  async function usersWithEmail(email: string): Promise<
    Array<{
      role: string;
      code: string;
      password_hash: string | null;
      oidc_issuer: string;
      oidc_subject: string;
    }>
  > {
    return ds.query(
      `SELECT u.role, o.code, u.password_hash, u.oidc_issuer, u.oidc_subject
         FROM app_user u JOIN organisation o ON o.id = u.organisation_id WHERE u.email = $1`,
      [email],
    );
  }

  it('tells the web pages that OIDC is on, with the button text', async () => {
    const res = await new Browser().get(`${bank.url}/api/v1/auth/session`);
    expect(await res.json()).toMatchObject({
      signedIn: false,
      oidc: { enabled: true, label: 'Sign in with Kent and Medway NHS' },
    });
  });

  it('signs in a person with a mapped role: user created, session renewed, role and organisation from the claims', async () => {
    idp.next = {
      claims: {
        sub: 'entra-subject-1',
        name: 'Ada Analyst',
        preferred_username: 'Ada.Analyst@Kent.NHS.uk',
        roles: ['Some.Other.Role', 'InsightBank.Analyst'],
      },
    };
    const browser = new Browser();
    const { res, sessionBefore } = await signIn(browser, { returnTo: '/search?q=parking#top' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/search?q=parking#top');
    expect(browser.cookie).not.toBe(sessionBefore); // a new session id at sign-in

    const asked = idp.authorizeRequests.at(-1)!;
    expect(asked.get('scope')).toBe('openid email profile');
    expect(asked.get('code_challenge_method')).toBe('S256');
    expect(asked.get('state')).toBeTruthy();
    expect(asked.get('nonce')).toBeTruthy();

    const who = await me(browser);
    expect(who.status).toBe(200);
    expect(await who.json()).toEqual({
      kind: 'user',
      label: 'ada.analyst@kent.nhs.uk',
      role: 'analyst',
      organisation: ORG,
    });
    expect(await usersWithEmail('ada.analyst@kent.nhs.uk')).toEqual([
      {
        role: 'analyst',
        code: ORG,
        password_hash: null,
        oidc_issuer: idp.issuer,
        oidc_subject: 'entra-subject-1',
      },
    ]);
    expect(await lastAudit('auth.sign_in')).toEqual({
      action: 'auth.sign_in',
      actor: 'ada.analyst@kent.nhs.uk',
      details: { method: 'oidc' },
    });
    expect(await lastAudit('user.create')).toMatchObject({
      actor: 'ada.analyst@kent.nhs.uk',
      details: { method: 'oidc', role: 'analyst' },
    });
    // The session works for the API as a password session does.
    const session = await browser.get(`${bank.url}/api/v1/auth/session`);
    expect(await session.json()).toMatchObject({
      signedIn: true,
      user: { role: 'analyst', organisation: ORG },
    });
  });

  it('takes the role and organisation from the claims again at the next sign-in', async () => {
    idp.next = {
      claims: {
        sub: 'entra-subject-1',
        email: 'ada.analyst@kent.nhs.uk',
        roles: ['InsightBank.Partner'],
        ods: OTHER_ORG,
      },
    };
    const browser = new Browser();
    const { res } = await signIn(browser, { returnTo: 'https://evil.example/phish' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/'); // never an open redirect
    expect(await (await me(browser)).json()).toMatchObject({
      role: 'partner',
      organisation: OTHER_ORG,
    });
    const users = await usersWithEmail('ada.analyst@kent.nhs.uk');
    expect(users.map((u) => [u.role, u.code])).toEqual([['partner', OTHER_ORG]]);
    expect((await lastAudit('auth.sign_in'))?.details).toEqual({
      method: 'oidc',
      roleChangedFrom: 'analyst',
    });
  });

  it('links an account made beforehand with the same email', async () => {
    await ds.query(
      `INSERT INTO app_user (email, role, organisation_id, password_hash)
       SELECT 'bo.admin@kent.nhs.uk', 'analyst', id, NULL FROM organisation WHERE code = $1`,
      [ORG],
    );
    idp.next = {
      claims: { sub: 'entra-subject-2', email: 'bo.admin@kent.nhs.uk', roles: 'InsightBank.Admin' },
    };
    const browser = new Browser();
    expect((await signIn(browser)).res.status).toBe(302);
    expect(await (await me(browser)).json()).toMatchObject({ role: 'admin', organisation: ORG });
    expect(await usersWithEmail('bo.admin@kent.nhs.uk')).toMatchObject([
      { role: 'admin', oidc_subject: 'entra-subject-2' },
    ]);
    expect((await lastAudit('auth.sign_in'))?.details).toEqual({
      method: 'oidc',
      linked: true,
      roleChangedFrom: 'analyst',
    });

    // Another subject presenting the same email does not take the account over.
    idp.next = {
      claims: { sub: 'someone-else', email: 'bo.admin@kent.nhs.uk', roles: 'InsightBank.Admin' },
    };
    const intruder = new Browser();
    const { res } = await signIn(intruder);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      code: 'forbidden',
      details: { reason: 'account_conflict' },
    });
    expect((await me(intruder)).status).toBe(401);
  });

  it('refuses a person without a mapped role with a clear 403, audited as no_role', async () => {
    idp.next = {
      claims: {
        sub: 'entra-subject-3',
        preferred_username: 'no.role@kent.nhs.uk',
        roles: ['Payroll.Reader'],
      },
    };
    const browser = new Browser();
    const { res } = await signIn(browser, { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const page = await res.text();
    expect(page).toContain('Your account has no Insight Bank role');
    expect(page).toContain('href="/auth/oidc/login"');
    expect((await me(browser)).status).toBe(401);
    expect(await usersWithEmail('no.role@kent.nhs.uk')).toEqual([]);
    expect(await lastAudit('auth.sign_in_failed')).toEqual({
      action: 'auth.sign_in_failed',
      actor: 'no.role@kent.nhs.uk',
      details: { method: 'oidc', reason: 'no_role', roleClaimValues: ['Payroll.Reader'] },
    });
  });

  it('refuses an organisation the bank does not know', async () => {
    idp.next = {
      claims: {
        sub: 'entra-subject-4',
        email: 'x@kent.nhs.uk',
        roles: ['InsightBank.Analyst'],
        ods: 'nope',
      },
    };
    const { res } = await signIn(new Browser());
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      statusCode: 403,
      message: expect.stringContaining('Your organisation (nope) is not set up') as unknown,
      details: { reason: 'unknown_organisation' },
    });
  });

  it.each([
    ['an ID token with another nonce', { nonce: 'not-the-nonce-the-bank-sent' }],
    [
      'an ID token signed with a key the provider does not publish',
      { signWithUnpublishedKey: true },
    ],
    ['an expired ID token', { expiresIn: -600 }],
  ])('refuses %s', async (_what, next) => {
    idp.next = {
      ...next,
      claims: { sub: 'entra-subject-5', email: 'eve@kent.nhs.uk', roles: ['InsightBank.Admin'] },
    };
    const browser = new Browser();
    const { res } = await signIn(browser);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      code: 'unauthorized',
      details: { reason: 'invalid_response' },
    });
    expect((await me(browser)).status).toBe(401);
    expect(await usersWithEmail('eve@kent.nhs.uk')).toEqual([]);
    expect(await lastAudit('auth.sign_in_failed')).toMatchObject({
      actor: 'anonymous',
      details: { method: 'oidc', reason: 'invalid_response' },
    });
  });

  it('refuses a callback whose state is not the one in the session', async () => {
    idp.next = {
      claims: { sub: 'entra-subject-5', email: 'eve@kent.nhs.uk', roles: ['InsightBank.Admin'] },
    };
    const browser = new Browser();
    const { res } = await signIn(browser, {
      tamper: (u) => u.searchParams.set('state', 'forged-state'),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ details: { reason: 'invalid_response' } });
    expect((await me(browser)).status).toBe(401);
  });

  it('refuses a callback replayed, or brought to a browser that never started the sign-in', async () => {
    idp.next = {
      claims: { sub: 'entra-subject-6', email: 'fay@kent.nhs.uk', roles: ['InsightBank.Analyst'] },
    };
    const browser = new Browser();
    const { res, callbackUrl } = await signIn(browser);
    expect(res.status).toBe(302);

    const replay = await browser.get(callbackUrl.href);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ details: { reason: 'no_pending_sign_in' } });

    // A login-CSRF attempt: the victim's browser gets someone else's callback.
    idp.next = {
      claims: { sub: 'entra-subject-6', email: 'fay@kent.nhs.uk', roles: ['InsightBank.Analyst'] },
    };
    const attacker = new Browser();
    const login = await attacker.get(`${bank.url}/auth/oidc/login`);
    const back = await fetch(login.headers.get('location')!, { redirect: 'manual' });
    const victim = new Browser();
    const planted = await victim.get(back.headers.get('location')!);
    expect(planted.status).toBe(401);
    expect((await me(victim)).status).toBe(401);
  });

  it('says so when the provider sends the person back with an error', async () => {
    idp.next = { authorizeError: 'access_denied' };
    const { res } = await signIn(new Browser());
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      message: expect.stringContaining('did not sign you in (access_denied)') as unknown,
      details: { reason: 'provider_refused' },
    });
  });

  it('answers 503, and audits it, when the provider cannot complete the sign-in', async () => {
    idp.next = { tokenEndpointDown: true };
    const browser = new Browser();
    const { res } = await signIn(browser);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { code: string; details: { reason: string } };
    expect(body).toMatchObject({
      code: 'upstream_unavailable',
      details: { reason: 'provider_unavailable' },
    });
    expect((await me(browser)).status).toBe(401);
    const audit = await lastAudit('auth.sign_in_failed');
    expect(audit?.details).toMatchObject({ method: 'oidc', reason: 'provider_unavailable' });

    // The browser page says so in words.
    idp.next = { tokenEndpointDown: true };
    const page = await signIn(new Browser(), { accept: 'text/html' });
    expect(page.res.status).toBe(503);
    expect(await page.res.text()).toContain('Sign-in is not available right now');
  });

  it('answers 404 on the OIDC routes of a bank without OIDC_ISSUER', async () => {
    const res = await http(app, null).get('/auth/oidc/login');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ message: 'OIDC sign-in is not configured' });
    expect((await http(app, null).get('/auth/oidc/callback?code=x&state=y')).status).toBe(404);
    const session = await http(app, null).get('/api/v1/auth/session');
    expect(session.body.oidc).toEqual({ enabled: false, label: 'Sign in with your NHS account' });
  });
});
