/**
 * Safeguarding screening: finds comments that may disclose a risk to someone — suicide or
 * self-harm, abuse, neglect, threats of harm, a child at risk, exploitation — so that a moderator
 * looks at them first and they are never shared beyond moderators automatically.
 *
 * A screening aid, not a clinical or safeguarding assessment: it matches the phrases below and
 * nothing else. It errs towards flagging (a moderator clears a false alarm in seconds; a missed
 * disclosure is worse), with two deliberate limits that keep everyday feedback out of the queue:
 *
 * - Bare "abuse" is not matched: "the abuse of the parking spaces", "alcohol abuse services" and
 *   "staff face abuse" are common in health feedback. Abuse is matched when it is qualified
 *   (sexual, domestic, financial ...), has a person as its object ("abused me", "abusive partner")
 *   or is something that happened to someone ("was abused", "suffered abuse").
 * - A phrase preceded by a negation in the same clause, within three words ("I was never abused",
 *   "no sign of neglect", "not suicidal"), is not a match. An intensifier between the negation and
 *   the phrase keeps the match ("I have never felt so neglected"). Negation is not followed across
 *   punctuation or "and", "but", "because" ..., so "she did not eat and was neglected" matches.
 *
 * The lexicon is documented for moderators in docs/safeguarding.md; keep the two in step.
 */

export const SAFEGUARDING_CATEGORIES = [
  'suicide_self_harm',
  'physical_abuse',
  'sexual_abuse',
  'emotional_abuse',
  'financial_abuse',
  'domestic_abuse',
  'neglect',
  'threat_of_harm',
  'child_at_risk',
  'exploitation',
  'safeguarding_named',
] as const;
export type SafeguardingCategory = (typeof SAFEGUARDING_CATEGORIES)[number];

/** Someone a harm is done to, as the object of a verb ("hit me", "abused her"). */
const PERSON = 'me/him/her/them/us';
const FAMILY =
  'partner/husband/wife/boyfriend/girlfriend/ex/dad/father/stepdad/stepfather/mum/mother/stepmum/stepmother/son/daughter/brother/sister/carer/carers';
const CHILD = 'child/children/baby/babies/kid/kids/toddler/son/daughter/grandchild/grandchildren';
const NEGATED_VERB = "not/never/wasn't/weren't/isn't/aren't/hasn't/haven't/hadn't";

/**
 * The phrases, by category. Syntax, chosen so the list reads as words:
 * - words are separated by one space and matched whole (never inside a longer word);
 * - `a/b/c` is one word slot with alternatives; `_` inside an alternative is a space
 *   ("do_not");
 * - a slot in square brackets is optional (`take my [own] life`);
 * - `*` at the end of a word matches any ending (`suicid*`: suicide, suicidal);
 * - `-` matches a hyphen, a space or nothing (`self-harm`: self-harm, self harm, selfharm);
 * - `'` matches a straight or curly apostrophe or none (`don't`: don't, don’t, dont);
 * - matching ignores case.
 */
export const SAFEGUARDING_LEXICON: Readonly<Record<SafeguardingCategory, readonly string[]>> = {
  suicide_self_harm: [
    'suicid*',
    'kill/killing/killed myself/himself/herself/themselves',
    'end/ending/ended my/his/her/their life',
    'take/taking/took/taken my/his/her/their own life',
    'want/wanted/wants/wanting to die',
    'wish/wished i/she/he was/were/had dead/died',
    'better off dead',
    "don't/do_not/didn't/did_not/doesn't want to live/be_alive",
    'no longer want/wants/wanted to live/be_alive',
    'no reason to live',
    'nothing to live for',
    'end/ending it all',
    'want/wanted/wants/wanting/going_to/gonna end it/things',
    'self-harm*',
    'harm/harming/harmed/hurt/hurting/cut/cutting/cuts/hang/hanging/hanged myself/himself/herself/themselves',
    'take/took/taken/taking an overdose',
    'overdosed',
  ],
  physical_abuse: [
    'physical/physically abus*',
    'physical/physically assault*',
    `hit/hits/hitting/beat/beats/beating/beaten/punch/punched/punches/punching/kick/kicked/kicks/kicking/slap/slapped/slaps/slapping/strangle/strangled/strangles/choke/choked/chokes ${PERSON}`,
    `assaulted ${PERSON}`,
    'was/were/been/being/got/get assaulted',
  ],
  sexual_abuse: [
    'sexual/sexually abus*',
    'sexual/sexually assault*',
    'rape/raped/raping/rapist',
    'groped/groping',
    'molest*',
    `groomed/grooming ${PERSON}`,
    'touched/touching me/him/her/them/us inappropriately',
    'inappropriately touched/touching',
  ],
  emotional_abuse: [
    'emotional/emotionally/psychological/psychologically/mental/mentally abus*',
    'coercive/coercively control*',
    'controlling behaviour/behavior',
    'was/were/is/are/being/been abusive',
    `bullied/bullies/bullying ${PERSON}`,
    'being bullied',
  ],
  financial_abuse: [
    'financial/financially abus*',
    'financial exploitation',
    'steal/steals/stole/stealing/stolen my/his/her/their money/pension/benefits/savings/cards/bank_card',
    'take/takes/taking/took/taken my/his/her/their pension/benefits/savings',
    `stealing from ${PERSON}`,
  ],
  domestic_abuse: [
    'domestic abus*/violen*',
    `abusive ${FAMILY}/relationship/marriage/home/parent/parents`,
    `abused/abuses/abusing ${PERSON}`,
    'abused by',
    'was/were/been/being/got/get/am/is abused',
    'suffered/suffering/experienced/experiencing/disclosed/witnessed abuse',
    `scared/afraid/frightened/terrified of my/her/his/their ${FAMILY}`,
    'scared/afraid/frightened/terrified to go home',
    'not_safe/unsafe at home',
    "not/never/don't/doesn't/didn't/do_not/does_not/did_not feel/feels/felt safe",
  ],
  neglect: [
    'neglect*',
    'left/lying/lay/laid/sat/sitting in [my/his/her/their] [own] soiled/wet/dirty/urine/faeces/feces/excrement',
    'left without food/water/drink/drinks/a_drink/medication/medicine/pain_relief',
    `${NEGATED_VERB} [been/being] fed/washed/given_food/given_water/given_a_drink`,
  ],
  threat_of_harm: [
    'threaten/threatens/threatened/threatening to kill/hurt/harm/stab/attack/beat/hit/shoot/burn',
    `threaten/threatens/threatened/threatening ${PERSON}`,
    'will/gonna/going_to/would kill/stab/shoot you/him/her/them/us',
    "i'll/he'll/she'll/they'll kill/stab/shoot/hurt you/him/her/them/us/me",
    'said he/she/they would/will/was_going_to/were_going_to kill/hurt/harm/stab me/us/you/him/her/them',
    'kill/hurt/harm/stab someone/somebody/others',
    'death threat*',
  ],
  child_at_risk: [
    'child/children protection',
    'child/children at risk',
    'child/children abus*',
    `${CHILD} is/are/was/were not_safe/unsafe/in_danger/at_risk`,
    `${CHILD} [is/are/was/were/been/being] left alone/unattended/unsupervised`,
    `left my/the/her/his/their ${CHILD} alone/unattended/unsupervised`,
  ],
  exploitation: [
    'modern slavery',
    'traffick*',
    'forced marriage',
    'forced to marry',
    'fgm',
    'female genital mutilation',
    'sexual/sexually exploit*',
    `exploited/exploiting ${PERSON}`,
    'county lines',
    'cuckooing',
    'radicalis*/radicaliz*',
  ],
  /** The writer names a safeguarding concern or process themselves. */
  safeguarding_named: ['safeguarding', 'adult protection', 'welfare check'],
};

/** Uses of the words above that are not about a person at risk; a match inside one is dropped. */
export const SAFEGUARDING_EXCLUSIONS: readonly string[] = [
  'it [really/suddenly/finally/just/then] hit/hits me',
  'beat/beats me/him/her/them/us to it',
  'oilseed rape',
  'neglected building/buildings/garden/gardens/area/areas/site/grounds/premises/car_park/estate/appearance',
  'building/garden/area/site/grounds/premises/car_park/estate/decor/paintwork/room/waiting_room/reception/toilet/toilets/corridor/corridors is/was/looks/looked/seems/seemed/feels/felt [a_bit/very/quite/rather/really] neglected',
];

/** Words that negate what follows them in the same clause. */
const NEGATIONS = new Set([
  'no',
  'not',
  'never',
  'without',
  'nobody',
  'none',
  'nor',
  'neither',
  'cannot',
  'cant',
  'dont',
  'doesnt',
  'didnt',
  'isnt',
  'wasnt',
  'arent',
  'werent',
  'havent',
  'hasnt',
  'hadnt',
  'wont',
  'wouldnt',
  'couldnt',
  'shouldnt',
]);
/** "never felt so neglected" is emphasis, not denial. */
const INTENSIFIERS = new Set([
  'so',
  'more',
  'as',
  'such',
  'ever',
  'completely',
  'totally',
  'utterly',
]);
/** Words that start a new clause: a negation before them does not reach past them. */
const CLAUSE_WORDS = new Set([
  'and',
  'but',
  'although',
  'though',
  'however',
  'because',
  'so',
  'yet',
  'until',
  'when',
  'while',
  'then',
]);
const NEGATION_WINDOW = 3;

export interface SafeguardingMatch {
  category: SafeguardingCategory;
  /** Offsets in the screened text; the matched words themselves are not returned. */
  start: number;
  end: number;
}

export interface SafeguardingScreen {
  flagged: boolean;
  /** Each category matched, in lexicon order. */
  categories: SafeguardingCategory[];
  matches: SafeguardingMatch[];
}

const WORD_CHAR = '[\\p{L}\\p{N}]';

function wordSource(word: string): string {
  let out = '';
  for (const ch of word) {
    if (ch === '*') out += `${WORD_CHAR}*`;
    else if (ch === '-') out += '[-\\s]?';
    else if (ch === "'") out += "['\u2019]?";
    else if (ch === '_') out += '\\s+';
    else out += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}

/** Compiles one phrase of the lexicon syntax to a regular expression source (no flags). */
export function phraseSource(phrase: string): string {
  const slots = phrase.trim().split(/\s+/);
  let source = '';
  slots.forEach((raw, i) => {
    const optional = raw.startsWith('[') && raw.endsWith(']');
    const slot = optional ? raw.slice(1, -1) : raw;
    if (!slot || /[[\]]/.test(slot)) throw new Error(`Bad slot "${raw}" in phrase "${phrase}"`);
    if (optional && i === 0) throw new Error(`Phrase "${phrase}" starts with an optional word`);
    const alternatives = slot.split('/');
    if (alternatives.some((a) => !a))
      throw new Error(`Empty alternative in slot "${raw}" of phrase "${phrase}"`);
    const group = `(?:${alternatives.map(wordSource).join('|')})`;
    if (i === 0) source += group;
    else source += optional ? `(?:\\s+${group})?` : `\\s+${group}`;
  });
  return source;
}

function compile(phrases: readonly string[]): RegExp {
  return new RegExp(
    `(?<!${WORD_CHAR})(?:${phrases.map(phraseSource).join('|')})(?!${WORD_CHAR})`,
    'giu',
  );
}

const CATEGORY_PATTERNS: ReadonlyArray<[SafeguardingCategory, RegExp]> =
  SAFEGUARDING_CATEGORIES.map((c) => [c, compile(SAFEGUARDING_LEXICON[c])]);
const EXCLUSION_PATTERN = compile(SAFEGUARDING_EXCLUSIONS);

const CLAUSE_TOKEN = /[\p{L}\p{N}'\u2019]+|[.!?;:,()"\u201c\u201d]/gu;

/** True when a negation governs the text just before `start` (see the module comment). */
function negatedBefore(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 120), start);
  const tokens = (before.match(CLAUSE_TOKEN) ?? []).map((t) =>
    t.toLowerCase().replace(/['\u2019]/g, ''),
  );
  let words = 0;
  let emphatic = false;
  for (let i = tokens.length - 1; i >= 0 && words < NEGATION_WINDOW; i--) {
    const t = tokens[i];
    if (!/[\p{L}\p{N}]/u.test(t) || CLAUSE_WORDS.has(t)) return false;
    if (NEGATIONS.has(t)) return !emphatic;
    if (INTENSIFIERS.has(t)) emphatic = true;
    words++;
  }
  return false;
}

function allMatches(pattern: RegExp, text: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    out.push({ start: m.index, end: m.index + m[0].length });
    if (m[0].length === 0) pattern.lastIndex++;
  }
  return out;
}

/** Screens one comment. Pure: the same text always gives the same answer. */
export function screenForSafeguarding(text: string): SafeguardingScreen {
  const matches: SafeguardingMatch[] = [];
  if (text) {
    let exclusions: Array<{ start: number; end: number }> | undefined;
    for (const [category, pattern] of CATEGORY_PATTERNS) {
      for (const m of allMatches(pattern, text)) {
        exclusions ??= allMatches(EXCLUSION_PATTERN, text);
        if (exclusions.some((x) => x.start <= m.start && x.end >= m.end)) continue;
        if (negatedBefore(text, m.start)) continue;
        matches.push({ category, ...m });
      }
    }
  }
  matches.sort((a, b) => a.start - b.start || a.end - b.end);
  const categories = SAFEGUARDING_CATEGORIES.filter((c) => matches.some((m) => m.category === c));
  return { flagged: matches.length > 0, categories, matches };
}
