import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { SAFE_METHODS } from '../access/csrf';
import { DomainError, type DomainErrorCode } from '../common/domain-error';
import { bodyReadError, stackFrames } from '../common/http-exception.filter';
import { signInUrl } from './forms';
import { page } from './page';

const STATUS_BY_CODE: Record<DomainErrorCode, number> = {
  not_found: 404,
  conflict: 409,
  invalid_input: 400,
  payload_too_large: 413,
  upstream_unavailable: 503,
  forbidden: 403,
  unauthorized: 401,
};

interface ErrorPage {
  status: number;
  title: string;
  /** Paragraphs shown under the heading. */
  lines: string[];
}

const log = new Logger('Errors');

function describe(exception: unknown, req: Request): ErrorPage {
  let status = 500;
  let message: string | undefined;
  if (exception instanceof DomainError) {
    status = STATUS_BY_CODE[exception.code];
    message = exception.message;
  } else if (exception instanceof HttpException) {
    status = exception.getStatus();
  } else {
    const readError = bodyReadError(exception); // a form body that could not be read
    if (readError) {
      status = readError.statusCode;
      message = readError.message;
    }
  }
  switch (status) {
    case 400:
    case 409:
    case 413:
      return {
        status,
        title: 'There is a problem with the request',
        lines: [message ?? 'The request could not be understood. Go back and try again.'],
      };
    case 401:
      // Not signed in: the filter sends the browser to the sign-in page; nothing went wrong.
      return { status, title: 'Sign in', lines: [] };
    case 403:
      // The guard's CSRF refusal names the token; any other 403 is about the role.
      return message?.includes('CSRF')
        ? {
            status,
            title: 'The form has expired',
            lines: ['Go back, reload the page and try again.'],
          }
        : {
            status,
            title: 'You do not have permission to see this page',
            lines: [
              'Your role does not allow this. If you need it for your work, ask an administrator.',
            ],
          };
    case 404:
      return {
        status,
        title: 'Page not found',
        lines: [
          'If you typed the web address, check it is correct.',
          'If you pasted the web address, check you copied the entire address.',
          'The item may also have been removed, or you may not have permission to see it.',
        ],
      };
    case 429:
      return {
        status,
        title: 'Too many requests',
        lines: ['Wait a few minutes, then try again.'],
      };
    case 503:
      return {
        status,
        title: 'Sorry, the service is unavailable',
        lines: [message ?? 'Try again shortly.'],
      };
    default: {
      const errorId = randomUUID();
      // Only the error's class and stack frames are logged: the message (also the stack's first
      // line) of an unknown error might quote input.
      log.error(
        {
          errorId,
          errorName: (exception as Error)?.name,
          stack: stackFrames(exception),
          path: req.path,
        },
        'Unhandled error on a page',
      );
      return {
        status: status >= 400 && status < 600 ? status : 500,
        title: 'Sorry, there is a problem with the service',
        lines: ['Try again later.', `If you report this, quote error id ${errorId}.`],
      };
    }
  }
}

/** Renders the error page; a broken template still answers, in plain text. */
export function renderErrorPage(req: Request, res: Response, error: ErrorPage): void {
  res.status(error.status);
  res.render('error', page(req, error.title, { error }), (err: Error | null, html?: string) => {
    if (err) res.type('text/plain').send(`${error.title}\n\n${error.lines.join('\n')}\n`);
    else res.type('html').send(html);
  });
}

/**
 * Errors on page routes become pages (add `@UseFilters(WebExceptionFilter)` to every web
 * controller): a caller who is not signed in is sent to the sign-in page and brought back
 * afterwards; everything else renders the error page with the right status. API routes keep
 * their JSON errors.
 */
@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    const error = describe(exception, req);
    if (error.status === 401) {
      // An expected step (an expired session, a bookmarked page), so info without a stack.
      log.log({ path: req.path }, 'Page needs sign-in: redirected to the sign-in page');
      res.redirect(303, SAFE_METHODS.has(req.method) ? signInUrl(req.originalUrl) : '/sign-in');
      return;
    }
    renderErrorPage(req, res, error);
  }
}

/** A browser asking for a page (GET, wants HTML, not under /api or /health). */
export function wantsPage(req: Request): boolean {
  if (!SAFE_METHODS.has(req.method)) return false;
  if (/^\/(api|health)(\/|$)/.test(req.path)) return false;
  return req.accepts(['json', 'html']) === 'html';
}

/**
 * Unknown addresses: the 404 page for browsers, the API's JSON error for everyone else. It is a
 * global filter, so it sees Nest's "no such route" before the JSON filter does.
 */
@Catch(NotFoundException)
export class PageNotFoundFilter implements ExceptionFilter {
  constructor(private readonly fallback: ExceptionFilter) {}

  catch(exception: NotFoundException, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (!wantsPage(req)) {
      this.fallback.catch(exception, host);
      return;
    }
    renderErrorPage(req, res, describe(exception, req));
  }
}
