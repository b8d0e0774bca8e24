import { tokenise } from '../text.util';

export type QuestionKind = 'positive' | 'improve' | 'neutral';

const IMPROVE_RE =
  /\b(improve[ds]?|improvements?|improving|better|change|changed|differently|wrong|worse|least|dislike[ds]?|disappoint\w*|suggest\w*|recommendations?|wish|should (?:we|you|have)|could (?:we|you|have) (?:do|done)|not (?:go|went) well|didn'?t go well|(?:did not|didn'?t) like|unhappy|complain\w*|concerns?)\b/;
const POSITIVE_RE =
  /\b(good|well|best|great|liked?|enjoy\w*|positive|pleased|happy|happiest|praise|thank\w*|excellent|helpful|went well|value[ds]?|appreciate[ds]?)\b/;

/**
 * Classifies the survey question a comment answers. Improvement wording wins over praise wording
 * because questions like "What would have made your visit better?" contain both kinds of word.
 */
export function classifyQuestion(question: string | undefined | null): QuestionKind {
  if (!question) return 'neutral';
  const q = question.toLowerCase().replace(/[\u2018\u2019]/g, "'");
  if (IMPROVE_RE.test(q)) return 'improve';
  if (POSITIVE_RE.test(q)) return 'positive';
  return 'neutral';
}

const NOTHING_ANSWERS = [
  'nothing',
  'nothing really',
  'nothing at all',
  'nothing much',
  'absolutely nothing',
  'nothing whatsoever',
  'nothing to improve',
  'nothing to add',
  'no nothing',
  'not a thing',
  'not really',
  'no',
  'nope',
  'none',
  'none really',
  'none at all',
  'no improvement',
  'no improvements',
  'no improvement needed',
  'no improvements needed',
  'cant think of anything',
  'cannot think of anything',
  'can not think of anything',
  'i cant think of anything',
  'i cannot think of anything',
  'cant think of any',
  'no not really',
  'no none',
  'nothing i can think of',
  'nothing that i can think of',
  'not that i can think of',
  'all good',
  'all ok',
  'all okay',
  'all fine',
].map((s) => s.split(' '));

/** Words after the opening that turn "Nothing" into a qualified answer ("nothing, except ..."). */
const QUALIFIERS = new Set([
  'but',
  'except',
  'apart',
  'however',
  'although',
  'though',
  'other',
  'besides',
  'unless',
  'only',
]);

/** Answers that decline to answer rather than say anything (not applicable, no comment). */
const NON_ANSWERS = new Set([
  'n a',
  'na',
  'n/a',
  'no comment',
  'no comments',
  'not applicable',
  'nil',
  'none given',
  'x',
  '',
]);

export type ShortAnswerKind = 'nothing' | 'non_answer' | 'other';

export interface ShortAnswer {
  kind: ShortAnswerKind;
  /** Tokens after the "nothing" opening, for the caller to check they do not complain. */
  rest: string[];
}

/**
 * Recognises the "Nothing" family of answers. The answer may go on to praise ("Nothing, all good,
 * thank you") but must not be qualified ("Nothing except the parking"), because then the person
 * did name something.
 */
export function classifyShortAnswer(text: string): ShortAnswer {
  const tokens = tokenise(text);
  const joined = tokens.join(' ');
  if (NON_ANSWERS.has(joined) || NON_ANSWERS.has(text.trim().toLowerCase())) {
    return { kind: 'non_answer', rest: [] };
  }
  let matched = 0;
  for (const parts of NOTHING_ANSWERS) {
    if (parts.length <= matched || parts.length > tokens.length) continue;
    if (parts.every((p, i) => tokens[i] === p)) matched = parts.length;
  }
  const rest = tokens.slice(matched);
  if (matched === 0 || rest.length > 25 || rest.some((t) => QUALIFIERS.has(t))) {
    return { kind: 'other', rest };
  }
  return { kind: 'nothing', rest };
}
