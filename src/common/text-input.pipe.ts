import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { invalidInput } from './domain-error';

/** Half of a UTF-16 surrogate pair with no other half: not a character in any encoding. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Field names are quoted in errors only when they look like field names. */
const PLAIN_NAME = /^[A-Za-z_$][\w$.-]{0,63}$/;

export interface InvalidText {
  /** Where it is, e.g. `q`, `reason`, `lexicon.phrases[1]`; never the text itself. */
  field: string;
  problem: 'nul' | 'surrogate';
}

function problemOf(s: string): InvalidText['problem'] | undefined {
  if (s.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(s)) return 'surrogate';
  return undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The first string (or field name) in a request value that PostgreSQL cannot store: one with a NUL
 * (U+0000), which no text or jsonb column accepts, or an unpaired surrogate, which a jsonb column
 * refuses. Walks without recursion, so a deeply nested body cannot exhaust the stack.
 */
export function findInvalidText(value: unknown, root = ''): InvalidText | undefined {
  const stack: Array<{ v: unknown; path: string }> = [{ v: value, path: root }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const problem = problemOf(v);
      if (problem) return { field: path || 'the request body', problem };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${path}[${i}]` });
    } else if (isPlainObject(v)) {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i];
        const keyProblem = problemOf(k);
        if (keyProblem)
          return { field: path ? `a field name in ${path}` : 'a field name', problem: keyProblem };
        const name = PLAIN_NAME.test(k) ? k : JSON.stringify(k.slice(0, 40));
        stack.push({ v: child, path: path ? `${path}.${name}` : name });
      }
    }
  }
  return undefined;
}

export function invalidTextMessage(t: InvalidText): string {
  return t.problem === 'nul'
    ? `${t.field} must not contain a NUL character (U+0000)`
    : `${t.field} must be valid Unicode text (it holds half of a surrogate pair)`;
}

/** An uploaded file as multer describes it (only the part this pipe reads). */
function isUploadedFile(v: unknown): v is { originalname: string } {
  return isPlainObject(v) && typeof v.originalname === 'string' && typeof v.fieldname === 'string';
}

/**
 * The one boundary for text nobody can store: every body, query and route parameter, before any
 * DTO validation, so a NUL is a 400 naming the field instead of a database error (a 500, or an
 * audit row PostgreSQL refuses). Field names with such characters are not repeated back. An
 * uploaded file's name is the uploader's own and only provenance: a NUL is dropped from it and
 * half a surrogate pair becomes U+FFFD, rather than the upload being refused.
 */
@Injectable()
export class TextInputPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') {
      if (!isUploadedFile(value) || !problemOf(value.originalname)) return value;
      const originalname = value.originalname
        .replaceAll('\u0000', '')
        .replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD');
      return { ...value, originalname };
    }
    const root = metadata.data && PLAIN_NAME.test(metadata.data) ? metadata.data : '';
    const found = findInvalidText(value, root);
    if (found) throw invalidInput(invalidTextMessage(found), { field: found.field });
    return value;
  }
}
