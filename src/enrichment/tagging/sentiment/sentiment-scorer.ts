import { clauseTokens, isClauseBoundary, stem } from '../text.util';
import {
  classifyQuestion,
  classifyShortAnswer,
  type QuestionKind,
} from '../rules/question-classifier';
import {
  CONTRAST_CUES,
  INTENSIFIERS,
  NEGATION_CUES,
  PHRASE_VALENCE,
  WORD_VALENCE,
} from './sentiment-lexicon';

export type SentimentLabel =
  'very_negative' | 'negative' | 'neutral' | 'positive' | 'very_positive';

export interface Sentiment {
  label: SentimentLabel;
  /** −1 (most negative) .. 1 (most positive). */
  score: number;
}

/** Negation reaches back this many words: "never had an issue" needs three. */
const NEGATION_WINDOW = 3;
/** A negated word keeps part of its strength with the opposite sign ("not rude" is mild praise). */
const NEGATION_FACTOR = -0.7;
const BEFORE_CONTRAST_WEIGHT = 0.5;
const AFTER_CONTRAST_WEIGHT = 1.5;
/** Normalisation constant: raw sum s maps to s / sqrt(s² + ALPHA), as in VADER. */
const ALPHA = 15;
/**
 * Answers to "what could be improved?" lean critical and answers to "what was good?" lean warm,
 * even when they contain no sentiment words ("A bed instead of a chair.").
 */
const QUESTION_BIAS: Record<QuestionKind, number> = { improve: -1.2, positive: 1.2, neutral: 0 };

const valenceByStem = new Map<string, number>();
for (const [word, v] of Object.entries(WORD_VALENCE)) {
  const key = stem(word);
  if (!valenceByStem.has(key) || word === key) valenceByStem.set(key, v);
}

interface PhraseEntry {
  tokens: string[];
  valence: number;
}
const phrasesByFirst = new Map<string, PhraseEntry[]>();
for (const [phrase, valence] of PHRASE_VALENCE) {
  const tokens = phrase.split(' ');
  const list = phrasesByFirst.get(tokens[0]) ?? [];
  list.push({ tokens, valence });
  list.sort((a, b) => b.tokens.length - a.tokens.length);
  phrasesByFirst.set(tokens[0], list);
}

export function wordValence(token: string): number {
  return WORD_VALENCE[token] ?? valenceByStem.get(stem(token)) ?? 0;
}

/** Raw (unnormalised) valence sum with negation, intensifiers and contrast applied. */
export function rawValence(tokens: readonly string[]): number {
  const items: Array<{ v: number; at: number }> = [];
  let lastContrast = -1;
  for (let i = 0; i < tokens.length;) {
    const tok = tokens[i];
    if (CONTRAST_CUES.has(tok)) lastContrast = items.length;
    let v = 0;
    let span = 1;
    const candidates = phrasesByFirst.get(tok);
    if (candidates) {
      for (const p of candidates) {
        if (p.tokens.every((t, k) => tokens[i + k] === t)) {
          v = p.valence;
          span = p.tokens.length;
          break;
        }
      }
    }
    if (span === 1) v = wordValence(tok);
    if (v !== 0 && span === 1) v = applyModifiers(tokens, i, v);
    else if (v !== 0 && isNegatedAt(tokens, i)) v *= NEGATION_FACTOR;
    if (v !== 0) items.push({ v, at: items.length });
    i += span;
  }
  let sum = 0;
  for (const item of items) {
    if (lastContrast < 0) sum += item.v;
    else sum += item.v * (item.at < lastContrast ? BEFORE_CONTRAST_WEIGHT : AFTER_CONTRAST_WEIGHT);
  }
  return sum;
}

function isNegatedAt(tokens: readonly string[], i: number): boolean {
  for (let k = i - 1; k >= 0 && k >= i - NEGATION_WINDOW; k--) {
    if (isClauseBoundary(tokens[k])) return false;
    if (NEGATION_CUES.has(tokens[k])) return true;
  }
  return false;
}

function applyModifiers(tokens: readonly string[], i: number, v: number): number {
  let out = v;
  for (let k = i - 1; k >= 0 && k >= i - 2; k--) {
    const scale = INTENSIFIERS[tokens[k]];
    if (scale === undefined) break;
    out *= scale;
  }
  if (isNegatedAt(tokens, i)) out *= NEGATION_FACTOR;
  return out;
}

function toLabel(score: number): SentimentLabel {
  if (score <= -0.55) return 'very_negative';
  if (score < -0.12) return 'negative';
  if (score <= 0.12) return 'neutral';
  if (score < 0.55) return 'positive';
  return 'very_positive';
}

function normalise(sum: number): number {
  if (sum === 0) return 0;
  return sum / Math.sqrt(sum * sum + ALPHA);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/**
 * True for a "Nothing" answer that does not go on to complain: "Nothing, all good" counts,
 * "No, the nurse was rude" does not.
 */
export function isNothingAnswer(text: string): boolean {
  const short = classifyShortAnswer(text);
  return short.kind === 'nothing' && rawValence(short.rest) >= 0;
}

/**
 * Lexicon-based five-level sentiment. The question matters: "Nothing" answering "What could be
 * improved?" is praise, answering "What was good?" it is criticism, and with no question it says
 * nothing either way.
 */
export function scoreSentiment(text: string, question?: string): Sentiment {
  const kind = classifyQuestion(question);
  const short = classifyShortAnswer(text);
  if (short.kind === 'non_answer') return { label: 'neutral', score: 0 };
  if (short.kind === 'nothing') {
    const restSum = rawValence(short.rest);
    if (restSum >= 0) {
      switch (kind) {
        case 'improve': {
          const score = Math.max(0.4, normalise(restSum + 2));
          return { label: toLabel(score), score: round(score) };
        }
        case 'positive':
          return { label: 'negative', score: -0.4 };
        case 'neutral': {
          const score = normalise(restSum);
          return { label: toLabel(score), score: round(score) };
        }
      }
    }
  }
  const tokens = clauseTokens(text);
  let sum = rawValence(tokens);
  const exclamations = Math.min(3, tokens.filter((t) => t === '!').length);
  if (sum !== 0) sum += Math.sign(sum) * 0.3 * exclamations;
  sum += QUESTION_BIAS[kind];
  const score = normalise(sum);
  return { label: toLabel(score), score: round(score) };
}
