import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError } from '../../common/domain-error';
import { PublicRoute } from '../access.decorators';
import { IdentityService } from '../identity.service';
import { actorOf } from '../actor';
import { regenerateSession } from '../session-store';
import { refusalPage } from './oidc-refusal.page';
import { OidcSignInService, type OidcRefusal, type RequestMeta } from './oidc-sign-in.service';

const DOMAIN_CODE = { 401: 'unauthorized', 403: 'forbidden', 503: 'upstream_unavailable' } as const;

function meta(req: Request): RequestMeta {
  return {
    requestId: typeof req.id === 'string' || typeof req.id === 'number' ? String(req.id) : null,
    ip: req.ip ?? null,
  };
}

/** A page for browsers; the usual error body for everything else. */
function refuse(req: Request, res: Response, r: OidcRefusal): void {
  if (req.accepts(['json', 'html']) === 'html') {
    res.status(r.status).type('html').send(refusalPage(r.status, r.message));
    return;
  }
  throw new DomainError(DOMAIN_CODE[r.status], r.message, { reason: r.reason });
}

/** Sign-in through the organisation's OpenID Connect provider (e.g. Microsoft Entra ID). */
@ApiTags('auth')
@Controller('auth/oidc')
export class OidcController {
  constructor(
    private readonly oidc: OidcSignInService,
    private readonly identity: IdentityService,
  ) {}

  @Get('login')
  @PublicRoute()
  @ApiOperation({
    summary: 'Start OIDC sign-in: redirects to the identity provider (authorization code + PKCE)',
  })
  @ApiQuery({
    name: 'returnTo',
    required: false,
    description: 'a path on this site to open after signing in',
  })
  @ApiResponse({ status: 302, description: 'To the identity provider' })
  @ApiResponse({ status: 404, description: 'OIDC sign-in is not configured' })
  @ApiResponse({ status: 503, description: 'The identity provider could not be reached' })
  async login(
    @Req() req: Request,
    @Res() res: Response,
    @Query('returnTo') returnTo?: unknown,
  ): Promise<void> {
    const started = await this.oidc.start(returnTo);
    if (!started.ok) return refuse(req, res, started);
    req.session.oidc = started.pending;
    res.redirect(302, started.url);
  }

  @Get('callback')
  @PublicRoute()
  @ApiOperation({
    summary: 'Where the identity provider sends people back; starts the session and redirects',
  })
  @ApiResponse({ status: 302, description: 'Signed in: to the page asked for, else /' })
  @ApiResponse({
    status: 401,
    description: 'The response failed a check, or no sign-in was started',
  })
  @ApiResponse({ status: 403, description: 'No mapped role, unknown organisation, or disabled' })
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const pending = req.session.oidc;
    delete req.session.oidc; // state, nonce and verifier are good for one callback only
    const at = req.originalUrl.indexOf('?');
    const query = at < 0 ? '' : req.originalUrl.slice(at);
    const done = await this.oidc.finish(pending, query, meta(req));
    if (!done.ok) return refuse(req, res, done);
    await regenerateSession(req); // a new session id at sign-in (no session fixation)
    req.session.userId = done.userId;
    req.session.signedInAt = Date.now();
    req.principal = (await this.identity.principalForUser(done.userId)) ?? undefined;
    await this.oidc.recordSignIn(actorOf(req), done);
    res.redirect(302, done.returnTo);
  }
}
