import type { Request } from 'express';
import { csrf } from '../access/csrf';
import { can, type Permission } from '../access/permissions';
import type { Principal } from '../access/principal';
import { loadConfig } from '../config/config';

/** One entry of the header navigation: shown to roles with the permission. */
export interface NavItem {
  href: string;
  text: string;
  permission: Permission;
}

/** The header navigation, in order. A page adds its entry here. */
export const NAV_ITEMS: readonly NavItem[] = [
  { href: '/search', text: 'Search', permission: 'insights.read' },
  { href: '/trends', text: 'Trends', permission: 'insights.read' },
  { href: '/upload', text: 'Upload', permission: 'batches.create' },
  { href: '/batches', text: 'Batches', permission: 'batches.read' },
  { href: '/moderation', text: 'Moderation', permission: 'moderation.manage' },
  { href: '/taxonomy', text: 'Themes', permission: 'taxonomy.read' },
];

/** A message shown once on the next page (after a POST-redirect-GET). */
export interface Flash {
  kind: 'success' | 'important';
  title?: string;
  text: string;
}

declare module 'express-session' {
  interface SessionData {
    flash?: Flash;
  }
}

/** What the layout needs on every page. */
export interface LayoutModel {
  signedIn: boolean;
  /** A session cookie names a user, but no access check ran for this page (see `page`). */
  sessionUnresolved: boolean;
  user: { label: string; role: string; organisation: string | null } | null;
  navigation: Array<{ href: string; text: string; current: boolean }>;
  /** For the sign-out form and any other form on the page (empty for anonymous visitors). */
  csrfToken: string;
  currentPath: string;
  flash: Flash | null;
}

export interface PageModel {
  /** The page's own title; the layout adds "– Insight Bank". */
  title: string;
  layout: LayoutModel;
  [key: string]: unknown;
}

function signedIn(p: Principal | undefined): p is Principal {
  return !!p && p.kind !== 'anonymous';
}

/** Remembers a message for the next page the browser shows (a success banner after a change). */
export function setFlash(req: Request, flash: Flash): void {
  if (req.session) req.session.flash = flash;
}

function takeFlash(req: Request): Flash | null {
  const flash = req.session?.flash ?? null;
  if (flash) delete req.session.flash;
  return flash;
}

/**
 * The model a page renders: its own fields, the title, and the layout's (who is signed in,
 * navigation for their role, the CSRF token, a one-off banner). Every page controller returns
 * `page(req, title, {...})` from a `@Render('<view>')` route, or passes it to `res.render`.
 */
export function page(req: Request, title: string, model: Record<string, unknown> = {}): PageModel {
  const p = req.principal;
  const role = p?.role ?? 'public';
  const currentPath = req.path;
  return {
    ...model,
    title,
    layout: {
      signedIn: signedIn(p),
      // Pages no route matched (the 404 page) run before the access check: the session may be
      // signed in without a principal resolved, so offer neither "Sign in" nor a name.
      sessionUnresolved: !signedIn(p) && Boolean(req.session?.userId),
      user: signedIn(p) ? { label: p.label, role: p.role, organisation: p.organisationCode } : null,
      navigation: NAV_ITEMS.filter(
        (i) => (signedIn(p) || loadConfig().ALLOW_ANONYMOUS_SEARCH) && can(role, i.permission),
      ).map((i) => ({
        href: i.href,
        text: i.text,
        current: currentPath === i.href || currentPath.startsWith(`${i.href}/`),
      })),
      // Anonymous visitors get a session (and a token) only from a page with a form.
      csrfToken: signedIn(p) && req.session ? csrf.generateToken(req) : '',
      currentPath,
      flash: takeFlash(req),
    },
  };
}
