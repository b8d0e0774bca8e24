import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../config/env.schema';
import { apiKeyFrom } from './access.guard';
import { AccessRedis } from './access-redis';
import { RedisSessionStore, sessionUnreadable } from './session-store';

export const SESSION_COOKIE = 'ib.sid';

function trustProxy(v: string): boolean | number | string {
  if (v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

/**
 * Security headers (helmet), `trust proxy`, and server-side sessions in Redis with an HttpOnly,
 * SameSite=Lax cookie that is Secure in production.
 */
export function applyHttpSecurity(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  express.set('trust proxy', trustProxy(config.TRUST_PROXY));
  express.disable('x-powered-by');
  express.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          'connect-src': ["'self'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
          'object-src': ["'none'"],
          'base-uri': ["'none'"],
        },
      },
      strictTransportSecurity: config.NODE_ENV === 'production',
    }),
  );
  // Answers carry patient comments: no browser or shared cache may keep them. The static assets
  // under /assets (no data, set their own long cache) are the exception.
  express.use((req: Request, res: Response, next: NextFunction) => {
    if (!req.path.startsWith('/assets/')) res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // Signing out also clears what the browser kept for this site.
  express.use(
    ['/sign-out', '/api/v1/auth/sign-out'],
    (req: Request, res: Response, next: NextFunction) => {
      if (req.method === 'POST') res.setHeader('Clear-Site-Data', '"cache", "storage"');
      next();
    },
  );
  let secret = config.SESSION_SECRET;
  if (!secret) {
    secret = randomBytes(32).toString('base64url');
    if (config.NODE_ENV === 'production')
      new Logger('Sessions').warn(
        'SESSION_SECRET is not set: sessions end when this api restarts and are not shared with other api processes',
      );
  }
  const redis = app.get(AccessRedis, { strict: false });
  const idleSeconds = config.SESSION_IDLE_MINUTES * 60;
  const secure =
    config.COOKIE_SECURE === 'true' ||
    (config.COOKIE_SECURE === 'auto' && config.NODE_ENV === 'production');
  const sessions = session({
    // A Secure cookie takes the __Host- prefix: the browser then refuses it from plain HTTP, from
    // a sub-domain or with a Domain attribute, so no other host can set or overwrite it.
    name: secure ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE,
    store: new RedisSessionStore(redis.client, `${redis.prefix}sess:`, idleSeconds),
    secret,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: idleSeconds * 1000,
      path: '/',
    },
  });
  // A machine client's API call is authenticated by its key alone (a key never falls back to the
  // session), so it needs no session; sign-in and session routes always get one.
  express.use((req: Request, res: Response, next: NextFunction) => {
    if (
      apiKeyFrom(req) !== undefined &&
      req.path.startsWith('/api/v1/') &&
      !req.path.startsWith('/api/v1/auth/')
    )
      return next();
    // A session Redis could not give back is left to the access guard, so that the answer is a
    // 503 in the route's own form (JSON or page) rather than Express's bare 500.
    return sessions(req, res, (err?: unknown) => {
      if (err) sessionUnreadable.add(req);
      next();
    });
  });
}
