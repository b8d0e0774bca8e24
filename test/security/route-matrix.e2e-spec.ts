import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import { can, ROLES, type Role } from '../../src/access/permissions';
import { keyOf } from '../support/auth';
import { createTestApp } from '../support/test-app';
import {
  type AppRoute,
  controllerRoutes,
  expressRoutes,
  fillParams,
  key,
  NON_CONTROLLER_ROUTES,
} from './route-table';

/**
 * The reviewed permission of every route. The test derives what each role gets from the
 * permission table; this list only makes a change of a route's permission (or a new route) show
 * up in review. A new route fails the snapshot test until it is added here.
 */
const REVIEWED: Record<string, string> = {
  'GET /': 'public',
  'GET /sign-in': 'public',
  'POST /sign-in': 'public',
  'POST /sign-out': 'session.self',
  'GET /account/password': 'session.self',
  'POST /account/password': 'session.self',
  'GET /search': 'insights.read',
  'GET /insights/:id': 'insights.read',
  'POST /insights/:id/tags': 'insights.review',
  'GET /trends': 'insights.read',
  'GET /upload': 'batches.create',
  'POST /upload': 'batches.create',
  'GET /batches': 'batches.read',
  'GET /batches/:id': 'batches.read',
  'GET /moderation': 'moderation.manage',
  'GET /moderation/safeguarding': 'moderation.manage',
  'GET /moderation/batches/:id': 'moderation.manage',
  'POST /moderation/batches/:id/decision': 'moderation.manage',
  'POST /moderation/batches/:batchId/items/:id/decision': 'moderation.manage',
  'POST /moderation/batches/:batchId/items/:id/text': 'moderation.manage',
  'POST /moderation/safeguarding/:id/clear': 'moderation.manage',
  'GET /taxonomy': 'taxonomy.read',
  'GET /taxonomy/new-theme': 'taxonomy.manage',
  'POST /taxonomy/new-theme': 'taxonomy.manage',
  'GET /taxonomy/:code': 'taxonomy.read',
  'POST /taxonomy/:code': 'taxonomy.manage',
  'GET /auth/oidc/login': 'public',
  'GET /auth/oidc/callback': 'public',
  'GET /health': 'public',
  'POST /api/v1/auth/sign-in': 'public',
  'POST /api/v1/auth/sign-out': 'session.self',
  'POST /api/v1/auth/password': 'session.self',
  'GET /api/v1/auth/session': 'public',
  'GET /api/v1/auth/me': 'session.self',
  'GET /api/v1/audit': 'audit.read',
  'GET /api/v1/batches/template': 'public',
  'POST /api/v1/batches': 'batches.create',
  'GET /api/v1/batches': 'batches.read',
  'GET /api/v1/batches/:id': 'batches.read',
  'GET /api/v1/batches/:id/rejections': 'batches.read',
  'DELETE /api/v1/batches/:id': 'batches.delete',
  'GET /api/v1/insights/search': 'insights.read',
  'GET /api/v1/insights/summary': 'insights.read',
  'GET /api/v1/insights/trends': 'insights.read',
  'GET /api/v1/insights/export': 'insights.export',
  'GET /api/v1/insights/:id': 'insights.read',
  'POST /api/v1/insights/:id/tags': 'insights.review',
  'PATCH /api/v1/insights/:id/sentiment': 'insights.review',
  'GET /api/v1/insights/:id/tag-events': 'insights.review',
  'GET /api/v1/moderation/batches': 'moderation.manage',
  'GET /api/v1/moderation/batches/:id/items': 'moderation.manage',
  'POST /api/v1/moderation/batches/:id/approve': 'moderation.manage',
  'POST /api/v1/moderation/batches/:id/reject': 'moderation.manage',
  'POST /api/v1/moderation/insights/:id/approve': 'moderation.manage',
  'POST /api/v1/moderation/insights/:id/reject': 'moderation.manage',
  'PATCH /api/v1/moderation/insights/:id/text': 'moderation.manage',
  'POST /api/v1/moderation/insights/:id/safeguarding/clear': 'moderation.manage',
  'GET /api/v1/moderation/safeguarding': 'moderation.manage',
  'GET /api/v1/taxonomy': 'taxonomy.read',
  'GET /api/v1/taxonomy/:code': 'taxonomy.read',
  'POST /api/v1/taxonomy': 'taxonomy.manage',
  'PATCH /api/v1/taxonomy/:code': 'taxonomy.manage',
  'DELETE /api/v1/taxonomy/:code': 'taxonomy.manage',
};

type Caller = Role | 'anonymous';

function ruleName(r: AppRoute): string {
  if (!r.rule) return '(none)';
  return 'public' in r.rule ? 'public' : r.rule.permission;
}

/** A call with harmless arguments: a UUID nothing has for every path parameter, an empty body. */
function call(app: INestApplication, route: AppRoute, credential: string | null): request.Test {
  const server = (app as INestApplication<App>).getHttpServer();
  const url = fillParams(route.path, randomUUID());
  const agent = request(server);
  const verb = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  let t = agent[verb](url);
  if (credential !== null) t = t.set('authorization', `Bearer ${credential}`);
  if (verb !== 'get' && verb !== 'delete') t = t.send({});
  return t;
}

/** Anonymous callers of a page get a redirect to the sign-in page; API callers get 401. */
function isSignInAnswer(res: request.Response): boolean {
  if (res.status === 401) return true;
  const location = String(res.headers.location ?? '');
  return [302, 303].includes(res.status) && /sign-in/.test(location);
}

describe('every route × every role', () => {
  let app: INestApplication;
  let routes: AppRoute[];

  beforeAll(async () => {
    app = await createTestApp('api');
    routes = controllerRoutes(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('finds the routes (the walk itself works)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(Object.keys(REVIEWED).length);
    expect(routes.map(key)).toContain('GET /api/v1/insights/search');
  });

  it('every route the server answers comes from a controller, or is the public API document', () => {
    const fromControllers = new Set(routes.map(key));
    const strays = expressRoutes(app).filter(
      (r) => !fromControllers.has(r) && !NON_CONTROLLER_ROUTES.some((re) => re.test(r)),
    );
    expect(strays).toEqual([]);
  });

  it('every controller route carries an access rule (RequirePermission or PublicRoute)', () => {
    const missing = routes.filter((r) => !r.rule).map((r) => `${key(r)} (${r.handler})`);
    expect(missing).toEqual([]);
  });

  it('every route names a permission from the permission table', () => {
    const unknown = routes
      .filter((r) => r.rule && 'permission' in r.rule && !can('admin', r.rule.permission))
      .map(key);
    // admin holds every permission; a name admin lacks is not in the table at all.
    expect(unknown).toEqual([]);
  });

  it('the permission of each route matches the reviewed list', () => {
    const actual = Object.fromEntries(routes.map((r) => [key(r), ruleName(r)]));
    expect(actual).toEqual(REVIEWED);
  });

  it('anonymous callers get 401, roles without the permission 403, roles with it neither', async () => {
    const callers: Caller[] = ['anonymous', ...ROLES];
    const wrong: string[] = [];
    for (const route of routes) {
      const rule = route.rule;
      if (!rule) continue; // reported by the access-rule test
      for (const caller of callers) {
        const res = await call(app, route, caller === 'anonymous' ? null : keyOf(app, caller));
        const got = `${res.status}`;
        const label = `${key(route)} as ${caller}: ${got}`;
        if (res.status === 500) {
          wrong.push(`${label} (internal error)`);
          continue;
        }
        if ('public' in rule) {
          if (res.status === 401 || res.status === 403)
            wrong.push(`${label}, public route refused`);
        } else if (caller === 'anonymous') {
          if (!isSignInAnswer(res)) wrong.push(`${label}, expected 401`);
        } else if (can(caller, rule.permission)) {
          if (res.status === 401 || res.status === 403)
            wrong.push(`${label}, ${caller} has ${rule.permission}`);
        } else if (res.status !== 403) {
          wrong.push(`${label}, expected 403 (${caller} lacks ${rule.permission})`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('a refusal names the missing permission and never reaches the route', async () => {
    const res = await call(
      app,
      { method: 'GET', path: '/api/v1/audit', handler: '', rule: undefined },
      keyOf(app, 'partner'),
    );
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 'forbidden',
      message: 'The partner role does not have the audit.read permission',
    });
  });
});

describe('every route × anonymous, with anonymous search switched on', () => {
  let app: INestApplication;

  beforeAll(async () => {
    process.env.ALLOW_ANONYMOUS_SEARCH = 'true';
    app = await createTestApp('api');
  });
  afterAll(async () => {
    delete process.env.ALLOW_ANONYMOUS_SEARCH;
    await app?.close();
  });

  it('opens exactly the routes whose permission the public role holds', async () => {
    const wrong: string[] = [];
    let opened = 0;
    for (const route of controllerRoutes(app)) {
      const rule = route.rule;
      if (!rule || 'public' in rule) continue;
      const res = await call(app, route, null);
      if (can('public', rule.permission)) {
        opened++;
        if (res.status === 401 || res.status === 403 || res.status === 500)
          wrong.push(`${key(route)}: ${res.status}, the public role has ${rule.permission}`);
      } else if (!isSignInAnswer(res)) {
        wrong.push(`${key(route)}: ${res.status}, expected 401`);
      }
    }
    expect(wrong).toEqual([]);
    expect(opened).toBeGreaterThan(0);
  });
});
