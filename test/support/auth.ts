import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types';
import { IdentityService } from '../../src/access/identity.service';
import { ROLES, type Role } from '../../src/access/permissions';
import { OrganisationsService } from '../../src/organisations/organisations.service';

/** The organisation the standing test keys belong to (owns no batches unless a test uploads as it). */
export const TEST_ICB = 'icb-test';

const standing = new WeakMap<object, Map<Role, string>>();

/** One API key per role for TEST_ICB, made again after every truncate. */
export async function issueStandingKeys(app: INestApplication): Promise<void> {
  const orgs = app.get(OrganisationsService, { strict: false });
  const org =
    (await orgs.byCode(TEST_ICB).catch(() => undefined)) ??
    (await orgs.create({ code: TEST_ICB, name: 'Test ICB', kind: 'icb', trusted: true }));
  const identity = app.get(IdentityService, { strict: false });
  const keys = new Map<Role, string>();
  for (const role of ROLES)
    keys.set(role, (await identity.createKey({ organisation: org.code, role })).key);
  standing.set(app, keys);
}

/** The standing key of a role (admin unless named). */
export function keyOf(app: INestApplication, role: Role = 'admin'): string {
  const key = standing.get(app)?.get(role);
  if (!key) throw new Error('No test keys: create the app with createTestApp()');
  return key;
}

type Verb = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** supertest with an API key: the admin's unless another key is given; `null` for no credentials. */
export function http(
  app: INestApplication<App> | INestApplication,
  key: string | null = keyOf(app),
): Record<Verb, (url: string) => request.Test> {
  const server = (app as INestApplication<App>).getHttpServer();
  const wrap = (t: request.Test): request.Test =>
    key === null ? t : t.set('authorization', `Bearer ${key}`);
  return {
    get: (url) => wrap(request(server).get(url)),
    post: (url) => wrap(request(server).post(url)),
    put: (url) => wrap(request(server).put(url)),
    patch: (url) => wrap(request(server).patch(url)),
    delete: (url) => wrap(request(server).delete(url)),
  };
}

/** An API key for a role in an organisation (created if needed). */
export async function keyFor(
  app: INestApplication,
  role: Role,
  organisation: string,
  kind = 'healthwatch',
): Promise<string> {
  const orgs = app.get(OrganisationsService, { strict: false });
  if (!(await orgs.byCode(organisation).catch(() => undefined)))
    await orgs.create({ code: organisation, name: `Test ${organisation}`, kind });
  return (await app.get(IdentityService, { strict: false }).createKey({ organisation, role })).key;
}
