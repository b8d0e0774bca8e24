import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { DomainError } from '../common/domain-error';

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

/**
 * A service's refusal the person can put right on the form (bad input, or a clash with what is
 * stored); anything else is not the form's to explain and goes on to the error page.
 */
export function isFormRefusal(e: unknown): e is DomainError {
  return e instanceof DomainError && (e.code === 'invalid_input' || e.code === 'conflict');
}

/** A refusal shown against the control `field`, or null when it is not the form's to show. */
export function formProblem(e: unknown, field: string): FieldError | null {
  return isFormRefusal(e) ? { field, message: e.message } : null;
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

/** How a page words one DTO property's refusals: its control, and messages for people. */
export interface FieldWording {
  /** The control's id (default: the property's path). */
  field?: string;
  /** When the control was left blank ("Enter a name"). */
  empty?: string;
  /** Any other refusal; given the value and the class-validator constraint (e.g. `maxLength`). */
  message?: string | ((value: unknown, constraint: string) => string);
}

/**
 * Checks a form through the API's DTO, so a page and its API twin share one set of rules; only
 * the wording is the page's. Each refusal becomes a problem against the control it is about
 * (nested properties by their dotted path, e.g. `lexicon.phrases`), one per property, in the
 * DTO's order. A refusal the page has no words for keeps the DTO's message, which names the field.
 */
export function validateForm<T extends object>(
  dto: ClassConstructor<T>,
  values: Record<string, unknown>,
  wording: Readonly<Record<string, FieldWording>> = {},
): { value: T; problems: FieldError[] } {
  const value = plainToInstance(dto, values);
  // Declared but absent fields are own properties set to undefined; a form, like an API client's
  // JSON, has no such fields.
  for (const [k, v] of Object.entries(value))
    if (v === undefined) delete (value as Record<string, unknown>)[k];
  const problems = refusals(validateSync(value, { whitelist: true })).map(
    ({ path, value: given, constraint, message }) => {
      const words = wording[path] ?? {};
      const worded =
        given === '' && words.empty !== undefined
          ? words.empty
          : typeof words.message === 'function'
            ? words.message(given, constraint)
            : (words.message ?? message);
      return { field: words.field ?? path, message: worded };
    },
  );
  return { value, problems };
}

/** The first refusal of each property, nested ones by their dotted path. */
function refusals(
  errors: readonly ValidationError[],
  prefix = '',
): Array<{ path: string; value: unknown; constraint: string; message: string }> {
  return errors.flatMap((e) => {
    const path = `${prefix}${e.property}`;
    const [first] = Object.entries(e.constraints ?? {});
    const own = first
      ? [{ path, value: e.value as unknown, constraint: first[0], message: first[1] }]
      : [];
    return [...own, ...refusals(e.children ?? [], `${path}.`)];
  });
}
