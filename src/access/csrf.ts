import { csrfSync } from 'csrf-sync';
import type { Request } from 'express';

/**
 * CSRF protection for cookie-authenticated requests (synchronizer token kept in the server-side
 * session). Pages put the token in a hidden `_csrf` field; scripts send it as `x-csrf-token`.
 * API-key callers send no cookie and need no token.
 */
export const csrf = csrfSync({
  getTokenFromRequest: (req: Request) => {
    const header = req.headers['x-csrf-token'];
    if (typeof header === 'string') return header;
    const body = req.body as Record<string, unknown> | undefined;
    if (typeof body?._csrf === 'string') return body._csrf;
    return multipartQueryToken(req);
  },
});

/**
 * A multipart body (a file upload) is parsed by the route's interceptor, which runs after the
 * access guard has checked the token: at guard time the body is still unread. So a form that
 * uploads a file carries its token in its action address (`/upload?_csrf=…`) instead, which needs
 * no script. Only multipart requests may do so. The address stays out of logs (the request logger
 * drops query strings) and out of Referer headers (helmet sends `Referrer-Policy: no-referrer`).
 */
function multipartQueryToken(req: Request): string | undefined {
  const type = req.headers['content-type'];
  if (typeof type !== 'string' || !/^multipart\/form-data\b/i.test(type)) return undefined;
  const token = (req.query as Record<string, unknown> | undefined)?._csrf;
  return typeof token === 'string' ? token : undefined;
}

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
