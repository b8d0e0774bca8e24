import {
  CANONICAL_FIELDS,
  VALUE_MAP_FIELDS,
  type ValueMap,
  type ValueMapField,
} from '../profiles/profile.types';

export const MAX_VALUE_MAP_CODES = 200;
export const MAX_VALUE_MAP_TEXT = 100;

/** How a code is looked up: trimmed, ignoring case. */
export function codeKey(code: string): string {
  return code.trim().toLowerCase();
}

/**
 * Checks a partner's value map (`{ "<field>": { "<code>": "<answer>" } }`) as parsed from JSON.
 * Each problem names the field and code it is about; codes and answers are the partner's
 * configuration, not feedback, but are cut short in messages all the same.
 */
export function checkValueMap(raw: unknown): { valueMap?: ValueMap; problems: string[] } {
  const example = 'such as {"religion":{"7":"Sikh"}}';
  if (!isObject(raw)) return { problems: [`valueMap must be a JSON object of fields, ${example}`] };
  const problems: string[] = [];
  const valueMap: ValueMap = {};
  for (const [field, codes] of Object.entries(raw)) {
    if (!(VALUE_MAP_FIELDS as readonly string[]).includes(field)) {
      const why = (CANONICAL_FIELDS as readonly string[]).includes(field)
        ? `"${short(field)}" is not a field whose answers can be mapped`
        : `unknown field "${short(field)}"`;
      problems.push(
        `valueMap: ${why} (fields are ${VALUE_MAP_FIELDS.join(', ')}: the field a column is read as, not the column's header)`,
      );
      continue;
    }
    if (!isObject(codes)) {
      problems.push(`valueMap.${field} must be an object of code to answer, ${example}`);
      continue;
    }
    const entries = Object.entries(codes);
    if (entries.length > MAX_VALUE_MAP_CODES) {
      problems.push(
        `valueMap.${field} has ${entries.length} codes, over the limit of ${MAX_VALUE_MAP_CODES}`,
      );
      continue;
    }
    const seen = new Map<string, string>();
    // No prototype: a code such as "__proto__" or "constructor" is a code like any other.
    const out = Object.create(null) as Record<string, string>;
    for (const [code, answer] of entries) {
      const key = codeKey(code);
      if (key === '') {
        problems.push(`valueMap.${field} has an empty code`);
        continue;
      }
      if (code.length > MAX_VALUE_MAP_TEXT) {
        problems.push(`valueMap.${field}: a code is longer than ${MAX_VALUE_MAP_TEXT} characters`);
        continue;
      }
      if (typeof answer !== 'string' || answer.trim() === '') {
        problems.push(`valueMap.${field}."${short(code)}" must be an answer written as text`);
        continue;
      }
      if (answer.length > MAX_VALUE_MAP_TEXT) {
        problems.push(
          `valueMap.${field}."${short(code)}": the answer is longer than ${MAX_VALUE_MAP_TEXT} characters`,
        );
        continue;
      }
      const earlier = seen.get(key);
      if (earlier !== undefined && out[key] !== answer.trim()) {
        problems.push(
          `valueMap.${field}: codes "${short(earlier)}" and "${short(code)}" are the same code (codes ignore case and spaces around them) with different answers`,
        );
        continue;
      }
      seen.set(key, code);
      out[key] = answer.trim();
    }
    valueMap[field as ValueMapField] = out;
  }
  return problems.length ? { problems } : { valueMap, problems };
}

/** The profile's codes, with the partner's own codes winning; keys as `codeKey` makes them. */
export function combineValueMaps(...maps: Array<ValueMap | undefined>): ValueMap {
  const out: ValueMap = {};
  for (const map of maps) {
    for (const [field, codes] of Object.entries(map ?? {}) as [
      ValueMapField,
      Record<string, string>,
    ][]) {
      const into = (out[field] ??= Object.create(null) as Record<string, string>);
      for (const [code, answer] of Object.entries(codes)) into[codeKey(code)] = answer;
    }
  }
  return out;
}

/** The answer a code stands for in one field's codes, if it has one. */
export function lookUpCode(
  codes: Record<string, string> | undefined,
  value: string,
): string | undefined {
  const key = codeKey(value);
  return codes && Object.prototype.hasOwnProperty.call(codes, key) ? codes[key] : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function short(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
