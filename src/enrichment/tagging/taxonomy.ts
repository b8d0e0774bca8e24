import defaultTaxonomyJson from '../../../data/taxonomy/default-taxonomy.json';

export type ThemeKind = 'category' | 'sub_theme' | 'strategy' | 'service_area';

export interface ThemeLexicon {
  phrases: string[];
  /** Phrases that, when present anywhere in the comment, veto this theme (e.g. "car park" for transport). */
  exclude?: string[];
}

export interface Theme {
  code: string;
  name: string;
  parentCode: string | null;
  kind: ThemeKind;
  description: string;
  lexicon: ThemeLexicon;
}

/** A theme's own fields, taken from anything that carries more (a stored row: state, versions). */
export function themeOf(t: Theme): Theme {
  return {
    code: t.code,
    name: t.name,
    parentCode: t.parentCode,
    kind: t.kind,
    description: t.description,
    lexicon: t.lexicon,
  };
}

export interface TaxonomyFile {
  version: string;
  themes: Theme[];
}

export interface Taxonomy {
  readonly version: string;
  readonly themes: readonly Theme[];
  byCode(code: string): Theme | undefined;
  children(code: string): Theme[];
  /** The code itself followed by its ancestors, nearest first. */
  ancestry(code: string): string[];
}

export class TaxonomyValidationError extends Error {
  readonly code = 'invalid_input';
  constructor(readonly problems: string[]) {
    super(`Invalid taxonomy: ${problems.join('; ')}`);
    this.name = 'TaxonomyValidationError';
  }
}

const KINDS: readonly ThemeKind[] = ['category', 'sub_theme', 'strategy', 'service_area'];
const CODE_RE = /^[a-z][a-z0-9_]*$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function readTheme(raw: unknown, index: number, problems: string[]): Theme | undefined {
  const at = `themes[${index}]`;
  if (!isRecord(raw)) {
    problems.push(`${at} is not an object`);
    return undefined;
  }
  const before = problems.length;
  const { code, name, parentCode, kind, description, lexicon } = raw;
  if (typeof code !== 'string' || !CODE_RE.test(code)) {
    problems.push(`${at}.code must be a lower-case slug (got ${JSON.stringify(code)})`);
  }
  const label = typeof code === 'string' ? `theme "${code}"` : at;
  if (typeof name !== 'string' || name.trim() === '') problems.push(`${label}: name is required`);
  if (parentCode !== null && parentCode !== undefined && typeof parentCode !== 'string') {
    problems.push(`${label}: parentCode must be a string or null`);
  }
  if (typeof kind !== 'string' || !KINDS.includes(kind as ThemeKind)) {
    problems.push(`${label}: kind must be one of ${KINDS.join(', ')}`);
  }
  if (typeof description !== 'string') problems.push(`${label}: description is required`);
  if (!isRecord(lexicon) || !isStringArray(lexicon.phrases)) {
    problems.push(`${label}: lexicon.phrases must be an array of strings`);
  } else if (lexicon.exclude !== undefined && !isStringArray(lexicon.exclude)) {
    problems.push(`${label}: lexicon.exclude must be an array of strings`);
  }
  if (problems.length > before) return undefined;
  const lex = lexicon as { phrases: string[]; exclude?: string[] };
  return {
    code: code as string,
    name: name as string,
    parentCode: (parentCode as string | null | undefined) ?? null,
    kind: kind as ThemeKind,
    description: description as string,
    lexicon: { phrases: [...lex.phrases], ...(lex.exclude ? { exclude: [...lex.exclude] } : {}) },
  };
}

/**
 * Validates a parsed taxonomy document and returns a queryable taxonomy. Every problem found is
 * reported at once (duplicate codes, unknown parents, cycles, kinds that do not fit their parent)
 * so an editor can fix the file in one pass.
 */
export function loadTaxonomy(raw: unknown): Taxonomy {
  const problems: string[] = [];
  if (!isRecord(raw) || !Array.isArray(raw.themes)) {
    throw new TaxonomyValidationError(['document must be an object with a "themes" array']);
  }
  const version = typeof raw.version === 'string' ? raw.version : '';
  if (version === '') problems.push('version is required');

  const themes: Theme[] = [];
  const byCode = new Map<string, Theme>();
  (raw.themes as unknown[]).forEach((t, i) => {
    const theme = readTheme(t, i, problems);
    if (!theme) return;
    if (byCode.has(theme.code)) {
      problems.push(`duplicate code "${theme.code}"`);
      return;
    }
    byCode.set(theme.code, theme);
    themes.push(theme);
  });

  for (const t of themes) {
    if (t.parentCode === null) {
      if (t.kind === 'sub_theme')
        problems.push(`theme "${t.code}": a sub_theme needs a parentCode`);
      continue;
    }
    const parent = byCode.get(t.parentCode);
    if (!parent) {
      problems.push(`theme "${t.code}": unknown parent "${t.parentCode}"`);
    } else if (t.kind === 'sub_theme' && parent.kind !== 'category') {
      problems.push(`theme "${t.code}": a sub_theme's parent must be a category`);
    }
  }

  const reported = new Set<string>();
  for (const t of themes) {
    const seen: string[] = [];
    let cur: Theme | undefined = t;
    while (cur && cur.parentCode !== null) {
      if (seen.includes(cur.code)) {
        const cycle = seen.slice(seen.indexOf(cur.code));
        const key = [...cycle].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          problems.push(`cycle in parents: ${[...cycle, cur.code].join(' -> ')}`);
        }
        break;
      }
      seen.push(cur.code);
      cur = byCode.get(cur.parentCode);
    }
  }

  if (problems.length > 0) throw new TaxonomyValidationError(problems);

  const childrenOf = new Map<string, Theme[]>();
  for (const t of themes) {
    if (t.parentCode === null) continue;
    const list = childrenOf.get(t.parentCode) ?? [];
    list.push(t);
    childrenOf.set(t.parentCode, list);
  }

  return {
    version,
    themes,
    byCode: (code) => byCode.get(code),
    children: (code) => [...(childrenOf.get(code) ?? [])],
    ancestry: (code) => {
      const out: string[] = [];
      let cur = byCode.get(code);
      while (cur) {
        out.push(cur.code);
        cur = cur.parentCode === null ? undefined : byCode.get(cur.parentCode);
      }
      return out;
    },
  };
}

let defaultTaxonomy: Taxonomy | undefined;

/** The taxonomy shipped with the bank (national framework + ICS strategy themes + service areas). */
export function loadDefaultTaxonomy(): Taxonomy {
  defaultTaxonomy ??= loadTaxonomy(defaultTaxonomyJson);
  return defaultTaxonomy;
}
