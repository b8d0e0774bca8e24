import { FirstNameKind, firstNameKind, firstNameKindAsWritten } from './first-names';
import {
  Candidate,
  NOT_NAMES,
  RELATION,
  RELATION_QUALIFIER,
  ROLE,
  ROLE_QUALIFIER,
  TOKEN,
  pushNameRun,
  pushNamesAfter,
} from './pii-detectors';

// First names with no title, role or thanks before them: "Sophie was great", "Lisa the activities
// coordinator", "nurses, Alex & Rachel", "SEEN BY KAREN", "nurse julie". A word is looked up
// in the first-name lexicon and then judged by its case and the words around it:
// - Title Case: a clear name is taken unless it is part of a place or service ("Florence ward",
//   "William Harvey Hospital", "Marie Curie nurses", "in Victoria"); a name that is also a word
//   ("Will", "Grace", "Mark") needs a person cue after it or another name beside it.
// - lower case: capitals say nothing, so a clear name needs a strong cue: a title, role or
//   relative before it ("nurse julie", "my daughter sophie"), thanks, "was lovely" after it at
//   the start of a sentence, or another name beside it in a list.
// - capitals: acronyms look like names ("the DESMOND course", "IRIS team"), so a capitalised name
//   is taken only inside a run of capitals and with a cue; after a title ("DR PATEL") any word
//   that is not an ordinary one is taken, surnames included.

type Case = 'title' | 'lower' | 'upper';

interface NameWord {
  start: number;
  end: number;
  kind: FirstNameKind;
  case: Case;
  found: boolean;
}

/** Ends in "'s" (checked by character: this runs on every word of every comment). */
function isPossessive(word: string): boolean {
  const last = word.charCodeAt(word.length - 1);
  const apostrophe = word.charCodeAt(word.length - 2);
  return (last === 115 || last === 83) && (apostrophe === 39 || apostrophe === 0x2019);
}

const TITLE_CASE = /^\p{Lu}\p{Ll}+$/u;
const LOWER_CASE = /^\p{Ll}+$/u;
const UPPER_CASE = /^\p{Lu}+$/u;
// "Don't", "Ive" and friends: a contraction is not a name.
const CONTRACTION = /['’](?:t|ll|ve|re|d|m)$/iu;

const INTENSIFIER =
  '(?:very|so|really|extremely|always|absolutely|just|truly|particularly|especially|incredibly|amazingly|such|a|an|the|most|also|too|quite|ever|massive|big|great|real|genuinely|lovely\\s+and|kind\\s+and)';
const PRAISE =
  '(?:great|lovely|kind|brilliant|amazing|fantastic|wonderful|helpful|excellent|supportive|caring|fab|fabulous|patient|good|friendly|professional|understanding|superb|outstanding|marvellous|nice|polite|reassuring|knowledgeable|approachable|empathetic|compassionate|considerate|attentive|thorough|informative|exceptional|sympathetic|welcoming|gentle|star|credit|gem|angel|pleasure|godsend|lifesaver|listener|help|rude|dismissive|unhelpful|unprofessional|abrupt|arrogant|condescending|awful)';
// Verbs that say a person acted. "came", "made" and "took" are left out: "Bill came to £20".
const PERSON_VERB =
  '(?:listened|listens|helped|helps|phoned|rang|explained|explains|visited|visits|talked|talks|spoke|speaks|supported|supports|cared|reassured|reassures|understood|understands|sorted|arranged|encouraged|encourages|treated|contacted|referred|organised|deserves|always\\s+listens|really\\s+listened)';
const ROLE_AFTER = `(?:${ROLE}|worker|lead|assistant|practitioner|therapist|psychologist|psychiatrist|counsellor|coordinator|co-ordinator|OT|CPN|HCA|PWP|SALT|physio)`;

// After a name, words that only a person does or is: "was great", "has been a massive help",
// "listened to me", "who came", "(physio)".
const PERSON_AFTER = new RegExp(
  `^\\s*,?\\s*(?:(?:is|was|were|are|has\\s+been|had\\s+been|have\\s+been)\\s+(?:${INTENSIFIER}\\s+){0,3}${PRAISE}\\b|(?:also\\s+|just\\s+)?${PERSON_VERB}\\b|(?:is|was)\\s+(?:still\\s+|always\\s+)?(?:doing|working|helping|listening|supporting)\\b|has\\s+(?:a\\s+lot\\s+of|always|really|given|done|shown|helped|supported)\\b|who\\b|\\(\\s*(?:[\\p{L}-]+\\s+){0,2}${ROLE_AFTER}\\s*\\))`,
  'iu',
);
// A role straight after the name, with no article: "Dawn mental health worker", "Gill CPN",
// "Rob, amazing mental health practitioner". With an article ("Will the doctor call?") it is
// too often a question.
const ROLE_RIGHT_AFTER = new RegExp(
  `^\\s*(?:,\\s*)?(?:(?:${ROLE_QUALIFIER}|amazing|brilliant|lovely|excellent|clinical|activities|activity|occupational|speech|mental|health)\\s+){0,3}${ROLE_AFTER}\\b`,
  'iu',
);
// "Lisa the activities coordinator": the article is fine when the name opens the clause.
const THE_ROLE_AFTER = new RegExp(
  `^\\s*,?\\s*(?:the|our|my)\\s+(?:[\\p{Ll}-]+\\s+){0,2}${ROLE_AFTER}\\b`,
  'u',
);

// Words before a capitalised word that make it a place, a service or a date, not a person.
const PLACE_BEFORE =
  /(?:^|[^\p{L}])(?:in|at|on|near|around|the|st\.?|saint|queen|king|prince|princess|lady|lord|mount|port|upon|via|towards|outside)\s+$/iu;
const TITLE_BEFORE =
  /(?:^|[^\p{L}])(?:(?:dr|mr|mrs|ms|mx|prof|rev|revd|sr)\.?|doctor|miss|professor|nurse|sister|matron|midwife|sir|dame|cpn|hca|anp|acp|rmn|rgn)\s+$/iu;
// What follows a name that belongs to a place, a ward or a service: "Florence ward", "Edith 2",
// "Guy's Hospital", "the Ivy Team", "a Daisy award".
const PLACE_AFTER =
  /^(?:['’]s?)?\s*(?:\d|(?:hospital|hospice|health|centre|center|surgery|practice|medical|ward|wards|unit|clinic|team|trust|pharmacy|house|lodge|community|nhs|uk|council|ambulance|road|street|lane|avenue|close|drive|university|general|royal|infirmary|partnership|group|foundation|charity|hub|court|park|village|town|way|primary|home|academy|school|college|mill|valley|healthcare|memorial|wing|suite|building|block|award|awards|appeal|line|programme|program|course|service|services|institute|library|hall|garden|gardens|station|church|nightingale|seacole|curie|currie|mcdonald)\b)/iu;

// A lower-case name after a title, a role or relative ("the receptionist sharon", "my daughter
// sophie"), thanks ("thank you tina") or "called".
const LOWER_CUE_BEFORE = new RegExp(
  `(?:^|[^\\p{L}])(?:(?:dr|doctor|nurse|sister|matron|midwife|mr|mrs|ms|miss|prof|professor|cpn|hca)\\.?|(?:the|my|our|his|her|their|your|a|an)\\s+(?:(?:${ROLE_QUALIFIER}|${RELATION_QUALIFIER})\\s+){0,2}(?:${ROLE}|${RELATION})(?:\\s*,|\\s+(?:is|was))?|(?:thank\\s*you|thanks|cheers)(?:\\s+(?:so\\s+much|very\\s+much|again))?(?:\\s+to)?\\s*,?|called|named)\\s+$`,
  'iu',
);
// "My physio is Mark", "the lady was Oonagh": a role, then "is" or "was", then the name.
const ROLE_IS_BEFORE = new RegExp(
  `(?:^|[^\\p{L}])(?:the|my|our|his|her|their|your)\\s+(?:(?:${ROLE_QUALIFIER}|${RELATION_QUALIFIER})\\s+){0,2}(?:${ROLE}|${RELATION})\\s+(?:is|was)\\s+$`,
  'iu',
);
const ROLE_IS_NAME = new RegExp(
  `(?<![\\p{L}])(?:[Tt]he|[Mm]y|[Oo]ur|[Hh]is|[Hh]er|[Tt]heir|[Yy]our)\\s+(?:(?:${ROLE_QUALIFIER}|${RELATION_QUALIFIER})\\s+){0,2}(?:${ROLE}|${RELATION})\\s+(?:is|was)\\s+(${TOKEN}(?:\\s+${TOKEN})?)(?=\\s*(?:[,.!;)]|$|\\s+and\\s))`,
  'gu',
);
// Capitalised for emphasis, not a name: "The nurse was Marvellous", "My GP is Supportive".
const ADJECTIVE_ENDING = /(?:ous|ful|ive|ing|ed|al|ble|ent|ant|ic|ish|less|est|er|ly|y)$/u;
const SENTENCE_START = /(?:^|[.!?;:\n,(])\s*$/u;
// A capitalised name in a run of capitals: "SEEN BY KAREN", "THANK YOU TO JULIE".
const UPPER_CUE_BEFORE = /(?:^|[^\p{L}])(?:by|with|to|from|thank(?:s|\s*you)?|and|&)\s+$/iu;
const UPPER_TITLED =
  /(?:^|[^\p{L}])(?:DR|MR|MRS|MS|MX|MISS|PROF|DOCTOR|NURSE|SISTER|MATRON)\.?\s+$/u;
const LIST_GAP = /^\s*(?:,\s*(?:and\s+|&\s*)?|(?:and|&)\s+|&|\/)\s*$/iu;
// A surname initial, or a surname withheld as "X": "Mark X has been great".
const INITIAL_AFTER = /^\s+\p{Lu}\.?(?=\s)/u;
const NAME_RUN = new RegExp(`${TOKEN}(?:\\s+${TOKEN}){0,2}`, 'uy');

function sliceBefore(text: string, at: number): string {
  return text.slice(Math.max(0, at - 60), at);
}

/** "Anne-Marie", "Jean-Paul": two first names joined by a hyphen. */
function doubleNameKind(word: string): FirstNameKind | undefined {
  const parts = word.split('-');
  if (parts.length !== 2) return undefined;
  return parts.every((p) => firstNameKindAsWritten(p) === 'clear') ? 'clear' : undefined;
}

function caseOf(word: string): Case | undefined {
  if (word.includes('-')) {
    const cases = word.split('-').map(caseOf);
    return cases.every((c) => c === cases[0]) ? cases[0] : undefined;
  }
  if (TITLE_CASE.test(word)) return 'title';
  if (LOWER_CASE.test(word)) return 'lower';
  if (word.length > 1 && UPPER_CASE.test(word)) return 'upper';
  return undefined;
}

function titleForm(word: string): string {
  return word[0].toUpperCase() + word.slice(1).toLowerCase();
}

/** Whether the words either side of `[start, end)` are in capitals too (or absent). */
function inCapitalsRun(text: string, start: number, end: number): boolean {
  const prev = /(\p{L}+)[^\p{L}]*$/u.exec(text.slice(Math.max(0, start - 30), start));
  const next = /^[^\p{L}]*(\p{L}+)/u.exec(text.slice(end, end + 30));
  const caps = (m: RegExpExecArray | null): boolean => !m || m[1] === m[1].toUpperCase();
  return caps(prev) && caps(next) && (prev !== null || next !== null);
}

function personAfter(text: string, end: number): boolean {
  const after = text.slice(end, end + 80);
  return PERSON_AFTER.test(after) || ROLE_RIGHT_AFTER.test(after);
}

/** A capitalised name that is part of a place or service rather than a person. */
function partOfPlace(text: string, start: number, end: number): boolean {
  return PLACE_BEFORE.test(sliceBefore(text, start)) || PLACE_AFTER.test(text.slice(end, end + 40));
}

/**
 * Decides a word on its own; returns where the name ends (with any surname), or -1 when the word
 * is left to the list rule.
 */
function judge(text: string, w: NameWord, out: Candidate[]): number {
  const before = sliceBefore(text, w.start);
  if (w.case === 'title') {
    // A title before it is the title rule's to judge ("Dr Foster" is a service, not a person).
    if (TITLE_BEFORE.test(before)) return -1;
    NAME_RUN.lastIndex = w.start;
    const run = NAME_RUN.exec(text)?.[0] ?? text.slice(w.start, w.end);
    const runEnd = w.start + run.length;
    if (partOfPlace(text, w.start, w.end) || PLACE_AFTER.test(text.slice(runEnd, runEnd + 40))) {
      return -1;
    }
    const cued =
      w.kind === 'clear' ||
      personAfter(text, w.end) ||
      (runEnd > w.end && personAfter(text, runEnd)) ||
      personAfter(
        text,
        w.end + (INITIAL_AFTER.exec(text.slice(w.end, w.end + 4))?.[0].length ?? 0),
      ) ||
      ROLE_IS_BEFORE.test(before) ||
      (SENTENCE_START.test(before) && THE_ROLE_AFTER.test(text.slice(w.end, w.end + 80)));
    if (!cued) return -1;
    return pushNameRun(text, w.start, run, out, { notPlace: true });
  }
  if (w.kind !== 'clear') return -1;
  if (w.case === 'upper') {
    if (UPPER_TITLED.test(before)) return push(w, out);
    if (!inCapitalsRun(text, w.start, w.end) || partOfPlace(text, w.start, w.end)) return -1;
    if (UPPER_CUE_BEFORE.test(before) || personAfter(text, w.end)) return push(w, out);
    return -1;
  }
  if (LOWER_CUE_BEFORE.test(before)) return push(w, out);
  if (SENTENCE_START.test(before) && PERSON_AFTER.test(text.slice(listEnd(text, w.end)))) {
    return push(w, out);
  }
  return -1;
}

// Further lower-case names in a list: "nadia and tina were brilliant".
const LOWER_LIST_NEXT = /^(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)(\p{Ll}+)/u;

/** Where a list of lower-case clear names that starts at `end` stops. */
function listEnd(text: string, end: number): number {
  for (let i = 0; i < 6; i++) {
    const m = LOWER_LIST_NEXT.exec(text.slice(end, end + 40));
    if (!m || firstNameKind(m[1]) !== 'clear') break;
    end += m[0].length;
  }
  return end;
}

function push(w: NameWord, out: Candidate[]): number {
  out.push({ type: 'NAME', start: w.start, end: w.end, priority: 40 });
  w.found = true;
  return w.end;
}

// A surname in capitals after a title ("DR PATEL"); the ordinary words found there ("DR
// APPOINTMENT", "MR MEN") are in NOT_NAMES, and words that are also names ("NURSE WILL CALL")
// are left alone.
const UPPER_AFTER_TITLE =
  /(?:^|[^\p{L}])(?:DR|MR|MRS|MS|MX|MISS|PROF)\.?\s+(\p{Lu}{2,}(?:['’-]\p{Lu}+)?)(?![\p{L}])/gu;

function findCapitalisedSurnames(text: string, out: Candidate[]): void {
  for (const m of text.matchAll(UPPER_AFTER_TITLE)) {
    const word = m[1];
    if (NOT_NAMES.has(titleForm(word)) || CONTRACTION.test(word)) continue;
    const kind = firstNameKind(word);
    if (kind !== undefined && kind !== 'clear') continue;
    const start = m.index + m[0].length - word.length;
    if (!inCapitalsRun(text, start, start + word.length)) continue;
    out.push({ type: 'NAME', start, end: start + word.length, priority: 40 });
  }
}

/** A word of the text as a lexicon name, or undefined when it cannot be one. */
function nameWord(text: string, start: number, raw: string): NameWord | undefined {
  // "Declan's advice": the name without its possessive.
  const word = isPossessive(raw) ? raw.slice(0, -2) : raw;
  if (word.length < 2) return undefined;
  const kind =
    firstNameKindAsWritten(word) ?? (word.includes('-') ? doubleNameKind(word) : undefined);
  if (kind === undefined) return undefined;
  const wordCase = caseOf(word);
  if (wordCase === undefined || CONTRACTION.test(word)) return undefined;
  if (wordCase === 'title' && NOT_NAMES.has(word)) return undefined;
  const prevChar = text[start - 1] ?? ' ';
  const nextChar = text[start + word.length] ?? ' ';
  // Part of an address, code or e-mail ("x-ray", "jo.bloggs@", "www.alex").
  if (/[\d.@_-]/.test(prevChar) || /[\d@_]/.test(nextChar)) return undefined;
  return { start, end: start + word.length, kind, case: wordCase, found: false };
}

// Looking every word up is the costly part, and most words are in lower case, where a name needs
// a cue. So only capitalised words are all looked up; lower-case words only when they open a
// sentence or a clause ("sophie was great") or follow a cue word ("nurse julie", "thank you so
// much kirsty"), with the names listed after them ("nadia and tina").
const CAPITALISED_WORD = /(?<![\p{L}'’-])\p{Lu}\p{L}*(?:['’-]\p{L}+)*/gu;
const LOWER_AT_START = /(?:^|[.!?;:\n,(])\s*(\p{Ll}+(?:-\p{Ll}+)?)(?=[\s,&])/gu;
const CUE_WORDS = `\\b(?:dr|doctor|nurse|sister|matron|midwife|mrs?|ms|miss|prof|professor|cpn|hca|thank|thanks|cheers|called|named|${ROLE}|${RELATION})\\b`;
const CUE_WORD = new RegExp(CUE_WORDS, 'gi');
const NEXT_WORD = /[\s,.]+(\p{L}+(?:-\p{L}+)?)/uy;

function candidateWords(text: string): NameWord[] {
  const words: NameWord[] = [];
  let sorted = true;
  const add = (start: number, raw: string): NameWord | undefined => {
    const last = words[words.length - 1];
    if (last !== undefined && start <= last.start) {
      if (words.some((w) => w.start === start)) return undefined;
      sorted = false;
    }
    const w = nameWord(text, start, raw);
    if (w !== undefined) words.push(w);
    return w;
  };
  const addLower = (start: number, raw: string): void => {
    let w = add(start, raw);
    // The names listed after it ("nadia and tina were brilliant").
    for (let i = 0; w !== undefined && i < 6; i++) {
      const next = LOWER_LIST_NEXT.exec(text.slice(w.end, w.end + 40));
      w = next ? add(w.end + next[0].length - next[1].length, next[1]) : undefined;
    }
  };
  // exec loops rather than matchAll: this runs on every comment.
  let m: RegExpExecArray | null;
  CAPITALISED_WORD.lastIndex = 0;
  while ((m = CAPITALISED_WORD.exec(text)) !== null) add(m.index, m[0]);
  LOWER_AT_START.lastIndex = 0;
  while ((m = LOWER_AT_START.exec(text)) !== null) {
    addLower(m.index + m[0].length - m[1].length, m[1]);
  }
  CUE_WORD.lastIndex = 0;
  while ((m = CUE_WORD.exec(text)) !== null) {
    const after = CUE_WORD.lastIndex;
    // Up to four words on ("thank you so much kirsty"); the judge reads the whole cue.
    NEXT_WORD.lastIndex = after;
    for (let i = 0; i < 4; i++) {
      const next = NEXT_WORD.exec(text);
      if (!next) break;
      if (next[1] === next[1].toLowerCase()) {
        addLower(NEXT_WORD.lastIndex - next[1].length, next[1]);
      }
    }
    CUE_WORD.lastIndex = after;
  }
  return sorted ? words : words.sort((a, b) => a.start - b.start);
}

/** Finds first names that no title, role or thanks introduces; see the notes above. */
export function findUncuedNames(text: string, out: Candidate[]): void {
  if (/\b(?:DR|MRS?|MS|MX|MISS|PROF)\.?\s+\p{Lu}{2}/u.test(text))
    findCapitalisedSurnames(text, out);

  // Any capitalised name in that position, known or not: "The lady was Oonagh, thank you".
  if (/\b(?:is|was)\s+\p{Lu}/u.test(text)) {
    for (const m of text.matchAll(ROLE_IS_NAME)) {
      if (firstNameKind(m[1].split(/\s/)[0]) === undefined && ADJECTIVE_ENDING.test(m[1])) continue;
      pushNameRun(text, m.index + m[0].length - m[1].length, m[1], out, { notPlace: true });
    }
  }

  const words = candidateWords(text);
  if (words.length === 0) return;

  for (const w of words) {
    const stop = judge(text, w, out);
    if (stop < 0) continue;
    w.found = true;
    // Capitalised names listed after it, known or not ("Sally & Demi").
    if (w.case === 'title') pushNamesAfter(text, stop, out);
  }

  // A known name beside one already found, in the same case, is a name too ("Mark and Kwame",
  // "nadia and tina", "Grace and Sandra").
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if (w.found || (w.case !== 'title' && w.kind !== 'clear')) continue;
      const neighbours = [words[i - 1], words[i + 1]].filter(
        (n): n is NameWord => n !== undefined && n.found && n.case === w.case,
      );
      const listed = neighbours.some((n) =>
        LIST_GAP.test(text.slice(Math.min(n.end, w.end), Math.max(n.start, w.start))),
      );
      if (!listed) continue;
      if (
        w.case === 'title' &&
        (TITLE_BEFORE.test(sliceBefore(text, w.start)) || partOfPlace(text, w.start, w.end))
      ) {
        continue;
      }
      push(w, out);
      changed = true;
    }
  }
}
