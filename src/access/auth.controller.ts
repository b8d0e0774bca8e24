import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { Request } from 'express';
import { DomainError } from '../common/domain-error';
import { loadConfig } from '../config/config';
import { PublicRoute, RequirePermission } from './access.decorators';
import { PASSWORD_MAX_LENGTH } from './credentials';
import { csrf } from './csrf';
import { PasswordChangeService } from './password-change.service';
import { oidcButton } from './oidc/oidc-settings';
import type { Principal } from './principal';
import { CurrentActor, type Actor } from './actor';
import { sessionControl } from './session-store';
import { PasswordSignInService } from './sign-in.service';

export class SignInDto {
  @IsString()
  @MinLength(3)
  @MaxLength(320)
  email!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

export class ChangePasswordDto {
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  newPassword!: string;
}

export interface SessionView {
  signedIn: boolean;
  user: { kind: string; label: string; role: string; organisation: string | null } | null;
  csrfToken: string;
  /** Whether the web pages offer OIDC sign-in, and the button's text. */
  oidc: { enabled: boolean; label: string };
}

export const SIGN_IN_FAILED =
  'Email or password is wrong, or the account is locked for 15 minutes after repeated failures';

type SessionRequest = Request & { principal?: Principal };

function view(req: SessionRequest): SessionView {
  const p = req.principal;
  const signedIn = !!p && p.kind !== 'anonymous';
  return {
    signedIn,
    user: signedIn
      ? { kind: p.kind, label: p.label, role: p.role, organisation: p.organisationCode }
      : null,
    csrfToken: csrf.generateToken(req),
    oidc: oidcButton(loadConfig()),
  };
}

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly signIns: PasswordSignInService,
    private readonly passwords: PasswordChangeService,
  ) {}

  @Post('sign-in')
  @PublicRoute()
  @HttpCode(200)
  // Limited by failures (SignInLimiter), not by the per-minute request budget.
  @SkipThrottle()
  @ApiOperation({ summary: 'Sign in with email and password; starts a server-side session' })
  @ApiResponse({ status: 401, description: 'Wrong email or password, or the account is locked' })
  @ApiResponse({
    status: 429,
    description: 'Too many failed sign-ins from this address (SIGN_IN_ATTEMPTS_PER_15_MINUTES)',
  })
  async signIn(
    @Body() dto: SignInDto,
    @CurrentActor() client: Actor,
    @Req() req: SessionRequest,
  ): Promise<SessionView> {
    const signedIn = await this.signIns.signIn(
      client,
      dto.email,
      dto.password,
      sessionControl(req),
    );
    if (!signedIn) throw new DomainError('unauthorized', SIGN_IN_FAILED);
    return view(req);
  }

  @Post('password')
  @RequirePermission('session.self')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Change your own password (signed-in people): the current one is required',
    description:
      'The session carries on under a new id (send the new CSRF token from the answer); every other session of the person ends. Audited as auth.password_change or auth.password_change_failed.',
  })
  @ApiResponse({
    status: 400,
    description: 'Current password wrong, or the new one not acceptable',
  })
  @ApiResponse({ status: 403, description: 'An API key: only people have passwords' })
  async changePassword(
    @Body() dto: ChangePasswordDto,
    @CurrentActor() actor: Actor,
    @Req() req: SessionRequest,
  ): Promise<SessionView> {
    const problem = await this.passwords.change(
      actor,
      dto.currentPassword,
      dto.newPassword,
      sessionControl(req),
    );
    if (problem) {
      throw new DomainError('invalid_input', problem.message, [
        { field: problem.field, message: problem.message },
      ]);
    }
    return view(req);
  }

  @Post('sign-out')
  @RequirePermission('session.self')
  @HttpCode(200)
  @ApiOperation({ summary: 'End the session' })
  async signOut(
    @CurrentActor() actor: Actor,
    @Req() req: SessionRequest,
  ): Promise<{ signedIn: false }> {
    await this.signIns.signOut(actor, sessionControl(req));
    return { signedIn: false };
  }

  @Get('session')
  @PublicRoute()
  @ApiOperation({
    summary: 'Who is signed in, and the CSRF token to send with cookie-authenticated changes',
  })
  session(@Req() req: SessionRequest): SessionView {
    return view(req);
  }

  @Get('me')
  @RequirePermission('session.self')
  @ApiOperation({ summary: 'The caller: kind, role and organisation (users and API keys)' })
  me(@CurrentActor() actor: Actor): SessionView['user'] {
    const p = actor.principal;
    return { kind: p.kind, label: p.label, role: p.role, organisation: p.organisationCode };
  }
}
