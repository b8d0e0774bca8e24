import { Body, Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PublicRoute, RequirePermission } from '../access/access.decorators';
import { CurrentActor, type Actor } from '../access/actor';
import { SIGN_IN_FAILED, SignInDto } from '../access/auth.controller';
import { oidcButton } from '../access/oidc/oidc-settings';
import { PASSWORD_MAX_LENGTH } from '../access/credentials';
import { csrf } from '../access/csrf';
import { sessionControl } from '../access/session-store';
import { PasswordSignInService } from '../access/sign-in.service';
import { loadConfig } from '../config/config';
import {
  field,
  formErrors,
  safeReturnTo,
  validateForm,
  type FieldError,
  type FieldWording,
} from './forms';
import { page } from './page';
import { WebExceptionFilter } from './web-exception.filter';

/** The page's words for the sign-in DTO's refusals (the API's rules). */
const SIGN_IN_WORDING: Record<string, FieldWording> = {
  email: {
    empty: 'Enter your email address',
    message: (_value, constraint) =>
      constraint === 'maxLength'
        ? 'Email address must be 320 characters or fewer'
        : 'Enter your email address',
  },
  password: {
    empty: 'Enter your password',
    message: `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`,
  },
};

function isSignedIn(req: Request): boolean {
  return !!req.principal && req.principal.kind !== 'anonymous';
}

@ApiExcludeController()
@Controller()
@UseFilters(WebExceptionFilter)
export class SignInPageController {
  constructor(private readonly signIns: PasswordSignInService) {}

  @Get()
  @PublicRoute()
  home(@Req() req: Request, @Res() res: Response): void {
    res.redirect(302, isSignedIn(req) ? '/search' : '/sign-in');
  }

  @Get('sign-in')
  @PublicRoute()
  form(
    @Req() req: Request,
    @Res() res: Response,
    @Query('returnTo') returnTo: unknown,
    @Query('signedOut') signedOut: unknown,
  ): void {
    if (isSignedIn(req)) return res.redirect(302, safeReturnTo(returnTo));
    this.render(req, res, 200, {
      returnTo: safeReturnTo(returnTo),
      signedOut: signedOut === '1',
    });
  }

  @Post('sign-in')
  @PublicRoute()
  // Limited by failures (SignInLimiter), not by the per-minute request budget.
  @SkipThrottle()
  async signIn(
    @CurrentActor() client: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: unknown,
  ): Promise<void> {
    const session = sessionControl(req);
    await this.signIns.assertAllowed(client, session);
    const email = field(body, 'email').trim();
    const password = field(body, 'password');
    const returnTo = safeReturnTo(field(body, 'returnTo'));
    const problems: FieldError[] = [];
    // Signing in from a page another site planted would sign the browser into that account.
    if (!csrf.isRequestValid(req))
      problems.push({ field: 'email', message: 'The form had expired: sign in again' });
    else problems.push(...validateForm(SignInDto, { email, password }, SIGN_IN_WORDING).problems);
    if (problems.length === 0 && !(await this.signIns.signIn(client, email, password, session)))
      problems.push({ field: 'email', message: SIGN_IN_FAILED });
    if (problems.length)
      return this.render(req, res, problems[0].message === SIGN_IN_FAILED ? 401 : 400, {
        returnTo,
        values: { email },
        errors: formErrors(problems),
      });
    res.redirect(303, returnTo);
  }

  @Post('sign-out')
  @RequirePermission('session.self')
  async signOut(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.signIns.signOut(actor, sessionControl(req));
    res.redirect(303, '/sign-in?signedOut=1');
  }

  private render(
    req: Request,
    res: Response,
    status: number,
    model: Record<string, unknown>,
  ): void {
    res.status(status).render(
      'sign-in',
      page(req, 'Sign in', {
        ...model,
        csrfToken: csrf.generateToken(req),
        // The same switch the session endpoint reports: single sign-on when OIDC is configured.
        oidc: oidcButton(loadConfig()),
      }),
    );
  }
}
