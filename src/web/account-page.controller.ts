import { Body, Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../access/credentials';
import { PasswordChangeService } from '../access/password-change.service';
import { field, formErrors, type FieldError } from './forms';
import { page, setFlash } from './page';
import { WebExceptionFilter } from './web-exception.filter';

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
  async change(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const current = field(body, 'currentPassword');
    const next = field(body, 'newPassword');
    const confirm = field(body, 'confirmPassword');
    const problems: FieldError[] = [];
    if (current === '')
      problems.push({ field: 'currentPassword', message: 'Enter your current password' });
    if (next === '') problems.push({ field: 'newPassword', message: 'Enter a new password' });
    else if (next.length > PASSWORD_MAX_LENGTH)
      problems.push({
        field: 'newPassword',
        message: `The new password must be ${PASSWORD_MAX_LENGTH} characters or fewer`,
      });
    else if (confirm !== next)
      problems.push({ field: 'confirmPassword', message: 'The two new passwords do not match' });
    if (problems.length === 0 && current.length <= PASSWORD_MAX_LENGTH) {
      const problem = await this.passwords.change(req, current, next);
      if (problem) problems.push(problem);
    } else if (current.length > PASSWORD_MAX_LENGTH) {
      problems.push({ field: 'currentPassword', message: 'Your current password is wrong' });
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
