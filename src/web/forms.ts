/** One problem with a form: the field's id (the error summary links to it) and the message. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * A form's problems as the NHS.UK components want them: `summary` for the error summary's
 * `errorList`, `byField[field]` for each control's `errorMessage`.
 */
export interface FormErrors {
  summary: Array<{ text: string; href: string }>;
  byField: Record<string, { text: string }>;
}

export function formErrors(errors: readonly FieldError[]): FormErrors | null {
  if (errors.length === 0) return null;
  const byField: FormErrors['byField'] = {};
  for (const e of errors) byField[e.field] ??= { text: e.message };
  return {
    summary: errors.map((e) => ({ text: e.message, href: `#${e.field}` })),
    byField,
  };
}

/** A form field as text: absent, repeated or non-text values read as empty. */
export function field(body: unknown, name: string): string {
  if (typeof body !== 'object' || body === null) return '';
  const v = (body as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
}

/**
 * Where to go after signing in: only a path on this site (`/search?q=…`), never another origin
 * (`//evil.example`, `/\evil.example`, `https://…`) or the sign-in page itself.
 */
export function safeReturnTo(raw: unknown, fallback = '/search'): string {
  if (typeof raw !== 'string' || raw.length > 2000) return fallback;
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return fallback;
  const path = raw.split(/[?#]/)[0];
  if (path === '/sign-in' || path === '/sign-out') return fallback;
  return raw;
}

/** The sign-in page address that brings the browser back to `path` afterwards. */
export function signInUrl(path: string): string {
  const back = safeReturnTo(path, '');
  return back === '' || back === '/' ? '/sign-in' : `/sign-in?returnTo=${encodeURIComponent(back)}`;
}
