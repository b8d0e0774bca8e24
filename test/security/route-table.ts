import { type INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { ACCESS_RULE, type AccessRule } from '../../src/access/access.decorators';

/** One route as Nest registered it: verb, full path, the controller method and its access rule. */
export interface AppRoute {
  method: string;
  path: string;
  handler: string;
  rule: AccessRule | undefined;
}

/**
 * Express routes that do not come from a controller: the OpenAPI document and its viewer
 * (public by design, they describe the API and hold no data) and Nest's own middleware mounts.
 */
export const NON_CONTROLLER_ROUTES: ReadonlyArray<RegExp> = [
  /^GET \/api\/docs(\/.*|-json|-yaml)?$/,
  /^[A-Z-]+ \/\{\*path\}$/,
];

function joinPath(...parts: string[]): string {
  const joined = parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter((p) => p !== '')
    .join('/');
  return `/${joined}`;
}

function asList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  return [typeof v === 'string' ? v : '/'];
}

/** Every route of every controller in the running app, with the access rule the guard will read. */
export function controllerRoutes(app: INestApplication): AppRoute[] {
  const routes: AppRoute[] = [];
  const seen = new Set<unknown>();
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const ctrl = wrapper.metatype as (new (...a: never[]) => unknown) | undefined;
      if (!ctrl || seen.has(ctrl)) continue;
      seen.add(ctrl);
      const proto = ctrl.prototype as Record<string, unknown>;
      const base = asList(Reflect.getMetadata(PATH_METADATA, ctrl));
      const classRule = Reflect.getMetadata(ACCESS_RULE, ctrl) as AccessRule | undefined;
      for (const name of Object.getOwnPropertyNames(proto)) {
        if (name === 'constructor') continue;
        const fn = proto[name];
        if (typeof fn !== 'function') continue;
        const verb = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
        if (verb === undefined) continue;
        const rule = (Reflect.getMetadata(ACCESS_RULE, fn) as AccessRule | undefined) ?? classRule;
        const methods =
          verb === RequestMethod.ALL
            ? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
            : [RequestMethod[verb]];
        for (const b of base)
          for (const p of asList(Reflect.getMetadata(PATH_METADATA, fn)))
            for (const method of methods)
              routes.push({ method, path: joinPath(b, p), handler: `${ctrl.name}.${name}`, rule });
      }
    }
  }
  return routes.sort((a, b) => key(a).localeCompare(key(b)));
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/** Every route the HTTP server answers, read from Express's router (whatever registered it). */
export function expressRoutes(app: INestApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as {
    router?: { stack: Layer[] };
    _router?: { stack: Layer[] };
  };
  const stack = (express.router ?? express._router)?.stack ?? [];
  const out = new Set<string>();
  for (const layer of stack) {
    if (!layer.route) continue;
    const methods = Object.keys(layer.route.methods).filter((m) => m !== '_all');
    const all = methods.length > 20; // registered for every verb: a middleware mount
    for (const path of asList(layer.route.path))
      for (const m of all ? ['*'] : methods)
        out.add(`${m === '*' ? 'ALL' : m.toUpperCase()} ${path}`);
  }
  return [...out].sort();
}

export function key(r: Pick<AppRoute, 'method' | 'path'>): string {
  return `${r.method} ${r.path}`;
}

/** The route's path with every parameter filled by `value` (a UUID nothing has). */
export function fillParams(path: string, value: string): string {
  return path.replace(/:[A-Za-z_][A-Za-z0-9_]*/g, value);
}
