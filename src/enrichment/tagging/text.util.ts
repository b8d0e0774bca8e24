/**
 * Shared text handling for the rules, sentiment and model layers. All three must agree on what a
 * token is, otherwise a lexicon phrase can match in one layer and silently miss in another.
 */

const TOKEN_RE = /[a-z0-9]+(?:&[a-z0-9]+)*/g;

/** Lower-cases and folds typographic quotes and apostrophes so "can’t" and "can't" tokenise alike. */
export function normaliseText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/'/g, '');
}

/**
 * Word tokens: apostrophes are dropped ("couldn't" -> "couldnt") and "&" is kept inside a word so
 * "A&E" stays one token.
 */
export function tokenise(text: string): string[] {
  return normaliseText(text).match(TOKEN_RE) ?? [];
}

const CLAUSE_TOKEN_RE = /[a-z0-9]+(?:&[a-z0-9]+)*|[.!?;,]/g;

/** Word tokens plus the punctuation that ends a clause, so negation does not leak across it. */
export function clauseTokens(text: string): string[] {
  return normaliseText(text).match(CLAUSE_TOKEN_RE) ?? [];
}

export function isClauseBoundary(token: string): boolean {
  return token.length === 1 && '.!?;,'.includes(token);
}

const VOWEL = /[aeiouy]/;

function isConsonant(word: string, i: number): boolean {
  const c = word[i];
  if ('aeiou'.includes(c)) return false;
  if (c === 'y') return i === 0 || !isConsonant(word, i - 1);
  return true;
}

/** consonant-vowel-consonant ending whose last letter is not w, x or y (Porter's *o). */
function endsCvc(stem: string): boolean {
  const n = stem.length;
  if (n < 3) return false;
  const last = stem[n - 1];
  return (
    isConsonant(stem, n - 3) &&
    !isConsonant(stem, n - 2) &&
    isConsonant(stem, n - 1) &&
    !'wxy'.includes(last)
  );
}

function vowelGroups(stem: string): number {
  let groups = 0;
  let inVowel = false;
  for (let i = 0; i < stem.length; i++) {
    const v = !isConsonant(stem, i);
    if (v && !inVowel) groups++;
    inVowel = v;
  }
  return groups;
}

function afterSuffix(stem: string): string {
  const n = stem.length;
  if (
    n >= 2 &&
    stem[n - 1] === stem[n - 2] &&
    !'lsz'.includes(stem[n - 1]) &&
    isConsonant(stem, n - 1)
  ) {
    return stem.slice(0, -1);
  }
  if (vowelGroups(stem) === 1 && endsCvc(stem)) return stem + 'e';
  return stem;
}

const stemCache = new Map<string, string>();
const STEM_CACHE_LIMIT = 200_000;

/**
 * A light, deterministic suffix stripper (plurals, -ing, -ed) in the spirit of Porter's step 1.
 * It only needs to map inflections of a word onto one key, so lexicon phrases and comment text are
 * stemmed with the same function; it is not meant to be linguistically complete.
 */
export function stem(word: string): string {
  const cached = stemCache.get(word);
  if (cached !== undefined) return cached;
  const result = computeStem(word);
  if (stemCache.size < STEM_CACHE_LIMIT) stemCache.set(word, result);
  return result;
}

function computeStem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) {
    w = w.slice(0, -1);
  }
  if (w.endsWith('eed')) return w.length > 4 ? w.slice(0, -1) : w;
  if (w.endsWith('ing')) {
    const base = w.slice(0, -3);
    if (base.length >= 3 && VOWEL.test(base)) return afterSuffix(base);
  } else if (w.endsWith('ed')) {
    const base = w.slice(0, -2);
    if (base.length >= 3 && VOWEL.test(base)) return afterSuffix(base);
  }
  return w;
}
