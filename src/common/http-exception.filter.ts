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
    const errorId = randomUUID();
    // Only the error's class and stack are logged: messages of unknown errors might quote input.
    this.logger.error(
      {
        errorId,
        errorName: (exception as Error)?.name,
        stack: (exception as Error)?.stack,
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
