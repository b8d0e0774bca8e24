import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Configuration } from 'openid-client';
import { OIDC_SETTINGS } from './oidc.tokens';
import type { OidcSettings } from './oidc-settings';

type OpenIdClient = typeof import('openid-client');

/**
 * openid-client is an ES module. It is loaded on first use (Node 20.19+ loads ES modules through
 * require), so processes without OIDC never load it and unit tests never meet it.
 */
const loadOpenIdClient = (): Promise<OpenIdClient> => import('openid-client');

/** Seconds allowed for each call to the identity provider (discovery, keys, token). */
const PROVIDER_TIMEOUT_SECONDS = 10;

/** What the callback must check, kept in the server-side session between login and callback. */
export interface PendingChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export type OidcFailureKind =
  /** The provider could not be reached or answered with a server error. */
  | 'unavailable'
  /** The provider sent the person back with an error (they cancelled, or it refused them). */
  | 'provider_refused'
  /** The response failed a check: state, nonce, PKCE, signature, issuer, audience or expiry. */
  | 'invalid_response';

/** A failed exchange with the identity provider; `detail` is an error code, never a token. */
export class OidcFailure extends Error {
  constructor(
    readonly kind: OidcFailureKind,
    readonly detail: string,
  ) {
    super(`OIDC ${kind}: ${detail}`);
    this.name = 'OidcFailure';
  }
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return 'unknown';
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? `${e.name} ${code}` : e.name;
}

function classify(e: unknown, lib: OpenIdClient): OidcFailure {
  if (e instanceof OidcFailure) return e;
  if (e instanceof lib.AuthorizationResponseError)
    return new OidcFailure('provider_refused', e.error);
  const code = (e as { code?: unknown }).code;
  const unavailable =
    (e instanceof TypeError && !(typeof code === 'string' && code.startsWith('ERR_INVALID_ARG'))) ||
    (e instanceof lib.ClientError &&
      ['OAUTH_TIMEOUT', 'OAUTH_ABORT', 'OAUTH_RESPONSE_IS_NOT_CONFORM'].includes(e.code ?? ''));
  return new OidcFailure(unavailable ? 'unavailable' : 'invalid_response', describe(e));
}

/**
 * The bank's side of the OpenID Connect authorization code flow (with PKCE, state and nonce),
 * behind one small class. The provider's metadata is discovered on first use and kept; a failed
 * discovery is tried again on the next sign-in.
 */
@Injectable()
export class OidcProviderAdapter {
  private readonly log = new Logger(OidcProviderAdapter.name);
  private configuration?: Promise<Configuration>;

  constructor(@Inject(OIDC_SETTINGS) private readonly settings: OidcSettings | null) {}

  private configured(): OidcSettings {
    if (!this.settings) throw new Error('OIDC sign-in is not configured');
    return this.settings;
  }

  private async discover(lib: OpenIdClient): Promise<Configuration> {
    const s = this.configured();
    this.configuration ??= lib
      .discovery(
        s.issuer,
        s.clientId,
        { redirect_uris: [s.redirectUrl.href], response_types: ['code'] },
        s.clientSecret ? lib.ClientSecretPost(s.clientSecret) : lib.None(),
        {
          timeout: PROVIDER_TIMEOUT_SECONDS,
          // ID tokens are checked against the provider's published keys as well.
          execute: s.allowInsecureIssuer
            ? [lib.allowInsecureRequests, lib.enableNonRepudiationChecks]
            : [lib.enableNonRepudiationChecks],
        },
      )
      .catch((e: unknown) => {
        this.configuration = undefined;
        throw e;
      });
    return this.configuration;
  }

  /**
   * Discovers the provider's metadata now, as the first sign-in would: for `doctor`. Resolves with
   * the endpoint people are sent to; rejects with an OidcFailure saying what went wrong.
   */
  async checkProvider(): Promise<{ authorizationEndpoint: string }> {
    const lib = await loadOpenIdClient();
    try {
      const config = await this.discover(lib);
      const endpoint = config.serverMetadata().authorization_endpoint;
      if (!endpoint) throw new OidcFailure('invalid_response', 'no authorization_endpoint');
      return { authorizationEndpoint: endpoint };
    } catch (e) {
      throw classify(e, lib);
    }
  }

  /** Where to send the person to sign in, and what the callback must check. */
  async begin(): Promise<{ url: string; checks: PendingChecks }> {
    const s = this.configured();
    const lib = await loadOpenIdClient();
    try {
      const config = await this.discover(lib);
      const checks: PendingChecks = {
        state: lib.randomState(),
        nonce: lib.randomNonce(),
        codeVerifier: lib.randomPKCECodeVerifier(),
      };
      const url = lib.buildAuthorizationUrl(config, {
        redirect_uri: s.redirectUrl.href,
        response_type: 'code',
        scope: s.scopes,
        state: checks.state,
        nonce: checks.nonce,
        code_challenge: await lib.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url: url.href, checks };
    } catch (e) {
      const failure = classify(e, lib);
      this.log.warn(`OIDC sign-in could not start: ${failure.kind} (${failure.detail})`);
      throw failure;
    }
  }

  /**
   * Exchanges the code from the callback's query string for tokens and returns the ID token's
   * claims once openid-client has checked state, nonce, PKCE, signature, issuer, audience and
   * expiry.
   */
  async complete(callbackQuery: string, checks: PendingChecks): Promise<Record<string, unknown>> {
    const s = this.configured();
    const lib = await loadOpenIdClient();
    try {
      const config = await this.discover(lib);
      const current = new URL(s.redirectUrl.href);
      current.search = callbackQuery;
      const tokens = await lib.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new OidcFailure('invalid_response', 'no ID token');
      return { ...claims };
    } catch (e) {
      const failure = classify(e, lib);
      this.log.warn(`OIDC sign-in was not completed: ${failure.kind} (${failure.detail})`);
      throw failure;
    }
  }
}
