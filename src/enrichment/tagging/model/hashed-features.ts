import { normaliseText, tokenise } from '../text.util';
import { classifyQuestion } from '../rules/question-classifier';
import { isNothingAnswer } from '../sentiment/sentiment-scorer';

/**
 * Bumped whenever the features a text produces change, so a saved model is never scored with a
 * pipeline it was not trained on.
 */
export const FEATURE_PIPELINE_VERSION = 'hashed-tfidf-w12-c35-q1';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const WORD_SALT = 0x9e3779b1;
const BIGRAM_SALT = 0x85ebca6b;
const CHAR_SALT = 0xc2b2ae35;

function fnvString(s: string, salt: number): number {
  let h = (FNV_OFFSET ^ salt) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/** Raw term counts for one text: word and character blocks are kept apart so each is normalised on its own. */
export interface RawFeatures {
  words: Map<number, number>;
  chars: Map<number, number>;
}

function bump(map: Map<number, number>, key: number): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * Word unigrams and bigrams, character 3–5-grams within word boundaries (padded by a space, as
 * scikit-learn's `char_wb` does, so prefixes and suffixes are distinct features), a token for the
 * kind of question asked and a token for "Nothing"-type answers. Everything is hashed into
 * 2^bits slots to bound memory whatever the vocabulary.
 */
export function extractFeatures(
  text: string,
  question: string | undefined,
  bits: number,
): RawFeatures {
  const mask = (1 << bits) - 1;
  const words = new Map<number, number>();
  const chars = new Map<number, number>();
  const tokens = tokenise(text);

  const kind = classifyQuestion(question);
  bump(words, fnvString(`__q_${kind}`, WORD_SALT) & mask);
  if (isNothingAnswer(text)) bump(words, fnvString(`__nothing_${kind}`, WORD_SALT) & mask);
  if (tokens.length <= 3) bump(words, fnvString(`__short_${kind}`, WORD_SALT) & mask);

  for (let i = 0; i < tokens.length; i++) {
    bump(words, fnvString(tokens[i], WORD_SALT) & mask);
    if (i > 0) bump(words, fnvString(`${tokens[i - 1]} ${tokens[i]}`, BIGRAM_SALT) & mask);
  }

  const padded = ` ${normaliseText(text)
    .replace(/[^a-z0-9&]+/g, ' ')
    .trim()} `;
  for (let start = 0; start < padded.length; start++) {
    let h = (FNV_OFFSET ^ CHAR_SALT) >>> 0;
    for (let n = 0; n < 5 && start + n < padded.length; n++) {
      const c = padded.charCodeAt(start + n);
      h = Math.imul(h ^ c, FNV_PRIME) >>> 0;
      if (n >= 2) {
        // A gram must not straddle two words (char_wb semantics): stop once it passes a space.
        bump(chars, (h ^ n) & mask);
      }
      if (n > 0 && c === 32) break;
    }
  }
  return { words, chars };
}
