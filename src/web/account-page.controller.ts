import { Body, Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentActor, type Actor } from '../access/actor';
import { ChangePasswordDto } from '../access/auth.controller';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../access/credentials';
import { PasswordChangeService } from '../access/password-change.service';
import { sessionControl } from '../access/session-store';
import { field, formErrors, validateForm, type FieldWording } from './forms';
import { page, setFlash } from './page';
import { WebExceptionFilter } from './web-exception.filter';

/** The page's words for ChangePasswordDto's refusals (the API's rules). */
const PASSWORD_WORDING: Record<string, FieldWording> = {
  // Longer than any password can be: it cannot be the current one.
  currentPassword: {
    empty: 'Enter your current password',
    message: 'Your current password is wrong',
  },
  newPassword: {
    empty: 'Enter a new password',
    message: `The new password must be ${PASSWORD_MAX_LENGTH} characters or fewer`,
  },
};

/** "Change your password": the same service, rules and audit as POST /api/v1/auth/password. */
@ApiExcludeController()
@Controller('account')
@UseFilters(WebExceptionFilter)
export class AccountPageController {
  constructor(private readonly passwords: PasswordChangeService) {}

  @Get('password')
  @RequirePermission('session.self')
  form(@Req() req: Request, @Res() res: Response): void {
    this.render(req, res, 200, {});
  }

  @Post('password')
  @RequirePermission('session.self')
  async change(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: unknown,
  ): Promise<void> {
    const current = field(body, 'currentPassword');
    const next = field(body, 'newPassword');
    const confirm = field(body, 'confirmPassword');
    const problems = validateForm(
      ChangePasswordDto,
      { currentPassword: current, newPassword: next },
      PASSWORD_WORDING,
    ).problems;
    // Typing it twice is the page's own check; the API takes the new password once.
    if (!problems.some((p) => p.field === 'newPassword') && confirm !== next)
      problems.push({ field: 'confirmPassword', message: 'The two new passwords do not match' });
    if (problems.length === 0) {
      const problem = await this.passwords.change(actor, current, next, sessionControl(req));
      if (problem) problems.push(problem);
    }
    if (problems.length) return this.render(req, res, 400, { errors: formErrors(problems) });
    setFlash(req, {
      kind: 'success',
      title: 'Password changed',
      text: 'Your password has been changed. Anywhere else you were signed in has been signed out.',
    });
    res.redirect(303, '/account/password');
  }

  private render(
    req: Request,
    res: Response,
    status: number,
    model: Record<string, unknown>,
  ): void {
    res
      .status(status)
      .render(
        'password',
        page(req, 'Change your password', { ...model, minLength: PASSWORD_MIN_LENGTH }),
      );
  }
}
