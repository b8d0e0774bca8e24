import type { Taxonomy } from '../taxonomy';
import { clauseTokens, isClauseBoundary, stem, tokenise } from '../text.util';
import { isNothingAnswer, rawValence } from '../sentiment/sentiment-scorer';
import { NEGATION_CUES } from '../sentiment/sentiment-lexicon';
import { LexiconMatcher, type LexiconMatch } from './lexicon-matcher';
import { classifyQuestion, classifyShortAnswer } from './question-classifier';

export interface ThemeTag {
  code: string;
  provenance: 'rule' | 'model' | 'human';
  confidence: number;
  /** The matched phrase, never the whole comment. */
  evidence?: string;
  /** Set when the only evidence was negated ("not rude at all"): the theme is discussed, favourably. */
  negated?: boolean;
}

/** Themes that mean praise; a negated praise phrase ("not good service") is dropped, not inverted. */
const PRAISE_THEMES = new Set(['positive_experience', 'couldnt_be_improved']);
const NEGATION_WINDOW = 3;
const NEGATED_CONFIDENCE_FACTOR = 0.7;
const CATEGORY_CONFIDENCE_FACTOR = 0.9;

function baseConfidence(words: number): number {
  if (words >= 3) return 0.85;
  if (words === 2) return 0.75;
  return 0.6;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

interface Evidence {
  confidence: number;
  phrase: string;
  negated: boolean;
  hits: number;
}

/**
 * Deterministic lexicon tagging against a taxonomy.
 *
 * Negation: a cue ("not", "no", "never", "didn't", ...) up to three words before a phrase that
 * carries sentiment of its own ("rude", "long wait", "dirty", "friendly") inverts it: the theme is
 * still what the comment is about, so it is kept, marked `negated` and given lower confidence,
 * while the sentiment scorer reads it the other way round. Negated praise phrases ("not good
 * service") are dropped. Neutral topic words ("parking", "receptionist") are never negated:
 * "no parking" is a comment about parking, and "no problem with parking" is still about parking
 * (the sentiment scorer makes it favourable).
 *
 * The question matters for the "Nothing" family of answers: under "What could be improved?" they
 * are tagged `couldnt_be_improved` and `positive_experience`; under "What was good?" they mean
 * nothing was good and get no praise tag.
 */
export class RuleTagger {
  private readonly matcher = new LexiconMatcher();
  private readonly evaluative = new Map<string, boolean>();

  constructor(private readonly taxonomy: Taxonomy) {
    for (const theme of taxonomy.themes) {
      for (const phrase of theme.lexicon.phrases) {
        this.matcher.add(theme.code, phrase);
        this.evaluative.set(phrase, rawValence(tokenise(phrase)) !== 0);
      }
      for (const phrase of theme.lexicon.exclude ?? []) this.matcher.add(theme.code, phrase, true);
    }
  }

  tag(text: string, question?: string): ThemeTag[] {
    const kind = classifyQuestion(question);
    const short = classifyShortAnswer(text);
    if (short.kind === 'non_answer') return [];

    const tokens = clauseTokens(text);
    const found = this.collect(tokens, this.matcher.match(tokens.map(stem)));

    if (isNothingAnswer(text)) {
      for (const code of PRAISE_THEMES) found.delete(code);
      if (kind === 'improve') {
        const phrase = 'nothing to improve';
        found.set('couldnt_be_improved', { confidence: 0.95, phrase, negated: false, hits: 1 });
        found.set('positive_experience', { confidence: 0.8, phrase, negated: false, hits: 1 });
      }
    }
    return this.withCategories(found);
  }

  private collect(tokens: readonly string[], matches: LexiconMatch[]): Map<string, Evidence> {
    const vetoed = new Set<string>();
    const found = new Map<string, Evidence>();
    for (const m of matches) {
      const { key, phrase, length, exclude } = m.entry;
      if (exclude) {
        vetoed.add(key);
        continue;
      }
      const negated = this.evaluative.get(phrase) === true && isNegated(tokens, m.start);
      if (negated && PRAISE_THEMES.has(key)) continue;
      const confidence = baseConfidence(length) * (negated ? NEGATED_CONFIDENCE_FACTOR : 1);
      const prev = found.get(key);
      if (!prev) {
        found.set(key, { confidence, phrase, negated, hits: 1 });
        continue;
      }
      prev.hits++;
      if (!negated) prev.negated = false;
      if (confidence > prev.confidence) {
        prev.confidence = confidence;
        prev.phrase = phrase;
      }
    }
    for (const code of vetoed) found.delete(code);
    for (const ev of found.values())
      ev.confidence = Math.min(0.95, ev.confidence + 0.05 * (ev.hits - 1));
    return found;
  }

  private withCategories(found: Map<string, Evidence>): ThemeTag[] {
    const tags = new Map<string, ThemeTag>();
    for (const [code, ev] of found) {
      tags.set(code, {
        code,
        provenance: 'rule',
        confidence: round(ev.confidence),
        evidence: ev.phrase,
        ...(ev.negated ? { negated: true } : {}),
      });
    }
    for (const [code, ev] of found) {
      for (const ancestor of this.taxonomy.ancestry(code).slice(1)) {
        const confidence = round(ev.confidence * CATEGORY_CONFIDENCE_FACTOR);
        const prev = tags.get(ancestor);
        if (prev && prev.confidence >= confidence) continue;
        tags.set(ancestor, { code: ancestor, provenance: 'rule', confidence, evidence: ev.phrase });
      }
    }
    return [...tags.values()].sort(
      (a, b) => b.confidence - a.confidence || a.code.localeCompare(b.code),
    );
  }
}

function isNegated(tokens: readonly string[], start: number): boolean {
  for (let k = start - 1; k >= 0 && k >= start - NEGATION_WINDOW; k--) {
    if (isClauseBoundary(tokens[k])) return false;
    if (NEGATION_CUES.has(tokens[k])) return true;
  }
  return false;
}
