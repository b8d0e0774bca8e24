import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { DomainError, type DomainErrorCode } from './domain-error';

const STATUS_BY_CODE: Record<DomainErrorCode, number> = {
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  invalid_input: HttpStatus.BAD_REQUEST,
  payload_too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  upstream_unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  forbidden: HttpStatus.FORBIDDEN,
  unauthorized: HttpStatus.UNAUTHORIZED,
};

const CODE_BY_STATUS: Record<number, string> = {
  400: 'invalid_input',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'invalid_input',
  429: 'too_many_requests',
  503: 'upstream_unavailable',
};

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${+(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 * 1024) return `${+(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

/** Terminus' own 503 body (`{ status, info, error, details }`) is the health endpoint's contract. */
function isHealthReport(response: unknown): boolean {
  return (
    typeof response === 'object' &&
    response !== null &&
    'details' in response &&
    'error' in response &&
    'info' in response
  );
}

/** The `at …` lines of a stack, without the message lines above them. */
export function stackFrames(e: unknown): string | undefined {
  const stack = (e as Error | undefined)?.stack;
  if (typeof stack !== 'string') return undefined;
  return stack
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .join('\n');
}

/** A short machine code (PostgreSQL's SQLSTATE, Node's ENOENT...), never free text. */
function errorCodeOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[A-Za-z0-9_.-]{1,40}$/.test(code) ? code : undefined;
}

/**
 * Errors of the body parsers (http-errors: JSON that does not parse, a body over the limit, an
 * unknown charset) carry a 4xx status. They answer that status with a fixed message: the parser's
 * own message can quote the body.
 */
export function bodyReadError(e: unknown): ErrorBody | undefined {
  if (!(e instanceof Error)) return undefined;
  const x = e as Error & { status?: unknown; expose?: unknown; type?: unknown; limit?: unknown };
  const status = x.status;
  if (typeof status !== 'number' || status < 400 || status > 499 || x.expose !== true)
    return undefined;
  if (status === 413)
    return {
      statusCode: 413,
      code: 'payload_too_large',
      message:
        typeof x.limit === 'number'
          ? `The request body is larger than the limit of ${formatBytes(x.limit)}.`
          : 'The request body is too large.',
      ...(typeof x.limit === 'number' ? { details: { limitBytes: x.limit } } : {}),
    };
  const message =
    x.type === 'entity.parse.failed'
      ? 'The request body is not valid JSON.'
      : status === 415
        ? 'The request body is in an encoding or charset this API does not read.'
        : 'The request body could not be read.';
  return { statusCode: status, code: CODE_BY_STATUS[status] ?? 'invalid_input', message };
}

/** Maps every error to `{ statusCode, code, message, details? }`; unknown errors become a 500 with a logged id. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly uploadLimitBytes?: number) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const body = this.toBody(exception, req);
    if (res.headersSent) return;
    res
      .status(exception instanceof HttpException ? exception.getStatus() : body.statusCode)
      .json(body);
  }

  private toBody(exception: unknown, req: Request): ErrorBody {
    if (exception instanceof DomainError) {
      return {
        statusCode: STATUS_BY_CODE[exception.code],
        code: exception.code,
        message: exception.message,
        details: exception.details,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (isHealthReport(response)) return response as unknown as ErrorBody;
      if (status === 413 && this.uploadLimitBytes) {
        return {
          statusCode: 413,
          code: 'payload_too_large',
          message: `The file is larger than the upload limit of ${formatBytes(this.uploadLimitBytes)} (UPLOAD_MAX_BYTES).`,
          details: { limitBytes: this.uploadLimitBytes },
        };
      }
      let message = exception.message;
      let details: unknown;
      if (typeof response === 'object' && response !== null) {
        const r = response as { message?: unknown; details?: unknown };
        if (Array.isArray(r.message)) {
          details = r.message;
          message = (r.message as string[]).join('; ');
        } else if (typeof r.message === 'string') message = r.message;
        if (r.details !== undefined) details = r.details;
      }
      return {
        statusCode: status,
        code: CODE_BY_STATUS[status] ?? 'error',
        message,
        ...(details === undefined ? {} : { details }),
      };
    }
    const readError = bodyReadError(exception);
    if (readError) return readError;
    const errorId = randomUUID();
    // Only the error's class, code and stack frames are logged: the message (also the first line
    // of the stack) of an unknown error might quote input, such as a value PostgreSQL refused.
    this.logger.error(
      {
        errorId,
        errorName: (exception as Error)?.name,
        errorCode: errorCodeOf(exception),
        stack: stackFrames(exception),
        path: req.path,
      },
      'Unhandled error',
    );
    return {
      statusCode: 500,
      code: 'internal_error',
      message: `Something went wrong on our side (error id ${errorId}).`,
    };
  }
}
