import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the provider answers the next sign-in (set by a test before it starts one). */
export interface NextSignIn {
  /** Claims added to the ID token (sub, email, roles ...). */
  claims?: Record<string, unknown>;
  /** A nonce other than the one the bank sent. */
  nonce?: string;
  /** Sign the ID token with a key the provider does not publish. */
  signWithUnpublishedKey?: boolean;
  /** Seconds until the ID token expires (negative: already expired). */
  expiresIn?: number;
  /** Send the person back with this OAuth error instead of a code. */
  authorizeError?: string;
  /** The token endpoint is down: it answers 503 with a plain-text page, as a gateway does. */
  tokenEndpointDown?: boolean;
}

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  nonce: string;
  codeChallenge: string;
  next: NextSignIn;
}

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

function rsaKey(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/**
 * A minimal OpenID Connect provider on 127.0.0.1 for tests: discovery, keys, an authorization
 * endpoint that signs the person in at once and sends them back with a code, and a token endpoint
 * that checks the client secret and PKCE and returns an RS256 ID token carrying the nonce.
 */
export class TestOidcProvider {
  next: NextSignIn = {};
  /** The query of every authorization request, for checks on what the bank asked for. */
  readonly authorizeRequests: URLSearchParams[] = [];
  private readonly codes = new Map<string, IssuedCode>();
  private readonly key = rsaKey();
  private readonly unpublished = rsaKey();
  private readonly kid = randomBytes(8).toString('hex');

  private constructor(
    private readonly server: Server,
    readonly issuer: string,
    private readonly clientId: string,
    private readonly clientSecret: string,
  ) {}

  static async start(clientId: string, clientSecret: string): Promise<TestOidcProvider> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const idp = new TestOidcProvider(server, `http://127.0.0.1:${port}`, clientId, clientSecret);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      idp.handle(req, res).catch((e: unknown) => {
        res.writeHead(500).end(String(e));
      });
    });
    return idp;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.issuer);
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration')
      return json(200, {
        issuer: this.issuer,
        authorization_endpoint: `${this.issuer}/authorize`,
        token_endpoint: `${this.issuer}/token`,
        jwks_uri: `${this.issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
        scopes_supported: ['openid', 'email', 'profile'],
      });
    if (req.method === 'GET' && url.pathname === '/jwks')
      return json(200, {
        keys: [
          {
            ...this.key.publicKey.export({ format: 'jwk' }),
            kid: this.kid,
            alg: 'RS256',
            use: 'sig',
          },
        ],
      });
    if (req.method === 'GET' && url.pathname === '/authorize') return this.authorize(url, res);
    if (req.method === 'POST' && url.pathname === '/token') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      if (this.next.tokenEndpointDown) {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
        return;
      }
      return this.token(req, new URLSearchParams(Buffer.concat(chunks).toString('utf8')), json);
    }
    json(404, { error: 'not_found' });
  }

  private authorize(url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    this.authorizeRequests.push(q);
    const redirectUri = q.get('redirect_uri') ?? '';
    const back = new URL(redirectUri);
    if (
      q.get('client_id') !== this.clientId ||
      q.get('response_type') !== 'code' ||
      q.get('code_challenge_method') !== 'S256' ||
      !q.get('code_challenge') ||
      !(q.get('scope') ?? '').split(' ').includes('openid')
    ) {
      back.searchParams.set('error', 'invalid_request');
    } else if (this.next.authorizeError) {
      back.searchParams.set('error', this.next.authorizeError);
    } else {
      const code = randomBytes(16).toString('base64url');
      this.codes.set(code, {
        clientId: this.clientId,
        redirectUri,
        nonce: q.get('nonce') ?? '',
        codeChallenge: q.get('code_challenge') ?? '',
        next: { ...this.next },
      });
      back.searchParams.set('code', code);
    }
    const state = q.get('state');
    if (state !== null) back.searchParams.set('state', state);
    res.writeHead(302, { location: back.href }).end();
  }

  private token(
    req: IncomingMessage,
    form: URLSearchParams,
    json: (status: number, body: unknown) => void,
  ): void {
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const [u, p] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      id = decodeURIComponent(u);
      secret = decodeURIComponent(p ?? '');
    }
    if (id !== this.clientId || secret !== this.clientSecret)
      return json(401, { error: 'invalid_client' });
    const code = form.get('code') ?? '';
    const issued = this.codes.get(code);
    this.codes.delete(code); // a code is good once
    const verifier = form.get('code_verifier') ?? '';
    if (
      form.get('grant_type') !== 'authorization_code' ||
      !issued ||
      issued.redirectUri !== form.get('redirect_uri') ||
      b64url(createHash('sha256').update(verifier).digest()) !== issued.codeChallenge
    )
      return json(400, { error: 'invalid_grant' });
    const now = Math.floor(Date.now() / 1000);
    const idToken = this.jwt(
      {
        iss: this.issuer,
        aud: issued.clientId,
        iat: now,
        exp: now + (issued.next.expiresIn ?? 300),
        nonce: issued.next.nonce ?? issued.nonce,
        ...issued.next.claims,
      },
      issued.next.signWithUnpublishedKey ? this.unpublished.privateKey : this.key.privateKey,
    );
    json(200, {
      access_token: randomBytes(16).toString('base64url'),
      token_type: 'Bearer',
      expires_in: 300,
      id_token: idToken,
    });
  }

  private jwt(payload: Record<string, unknown>, key: KeyObject): string {
    const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: this.kid }));
    const body = b64url(JSON.stringify(payload));
    const signature = sign('sha256', Buffer.from(`${head}.${body}`), key);
    return `${head}.${body}.${b64url(signature)}`;
  }
}
