/**
 * Normalises the demographic answers partners send, in whatever spelling, to the categories of
 * the 2021 Census (England and Wales) and the NHS Data Dictionary. Every field keeps two
 * distinct "no answer" values: `unknown` (not asked, not recorded, blank) and
 * `prefer_not_to_say` (asked and declined, which the NHS Data Dictionary records as
 * "Not stated").
 */

const NO_ANSWER = ['unknown', 'prefer_not_to_say'] as const;
type NoAnswer = (typeof NO_ANSWER)[number];

/*
 * The values each field is normalised to, declared once: the types below are read from these
 * lists, and the insight field catalogue takes them as the fields' filter values.
 */
export const AGE_BANDS = [
  '0-15',
  '16-17',
  '18-24',
  '25-34',
  '35-44',
  '45-54',
  '55-64',
  '65-74',
  '75-84',
  '85+',
  ...NO_ANSWER,
] as const;
export const SEXES = ['female', 'male', 'intersex', 'other', ...NO_ANSWER] as const;
export const GENDER_IDENTITIES = [
  'woman',
  'man',
  'non_binary',
  'trans_woman',
  'trans_man',
  'trans',
  'same_as_sex_at_birth',
  'other',
  ...NO_ANSWER,
] as const;
export const ETHNICITY_GROUPS = [
  'asian',
  'black',
  'mixed',
  'white',
  'other',
  ...NO_ANSWER,
] as const;
export const YES_NO = ['yes', 'no', ...NO_ANSWER] as const;
export const SEXUAL_ORIENTATIONS = [
  'heterosexual',
  'gay_or_lesbian',
  'bisexual',
  'other',
  ...NO_ANSWER,
] as const;
export const RELIGIONS = [
  'no_religion',
  'christian',
  'buddhist',
  'hindu',
  'jewish',
  'muslim',
  'sikh',
  'other',
  ...NO_ANSWER,
] as const;

export type AgeBand = Exclude<(typeof AGE_BANDS)[number], NoAnswer>;
export type Sex = (typeof SEXES)[number];
export type GenderIdentity = (typeof GENDER_IDENTITIES)[number];
export type EthnicityGroup = (typeof ETHNICITY_GROUPS)[number];
export type EthnicityDetail =
  | 'asian_indian'
  | 'asian_pakistani'
  | 'asian_bangladeshi'
  | 'asian_chinese'
  | 'asian_other'
  | 'black_african'
  | 'black_caribbean'
  | 'black_other'
  | 'mixed_white_black_caribbean'
  | 'mixed_white_black_african'
  | 'mixed_white_asian'
  | 'mixed_other'
  | 'white_english_welsh_scottish_ni_british'
  | 'white_irish'
  | 'white_gypsy_irish_traveller'
  | 'white_roma'
  | 'white_other'
  | 'other_arab'
  | 'other_any_other';
export type YesNo = (typeof YES_NO)[number];
export type SexualOrientation = (typeof SEXUAL_ORIENTATIONS)[number];
export type Religion = (typeof RELIGIONS)[number];

export interface DemographicsInput {
  age?: string;
  sex?: string;
  gender?: string;
  ethnicity?: string;
  disability?: string;
  carer?: string;
  sexuality?: string;
  religion?: string;
  deprivationDecile?: string;
  /** The year ages are counted to when a birth year is given; defaults to the current year. */
  referenceYear?: number;
}

export interface Demographics {
  ageBand: AgeBand | NoAnswer;
  sex: Sex;
  genderIdentity: GenderIdentity;
  ethnicityGroup: EthnicityGroup;
  ethnicityDetail: EthnicityDetail | NoAnswer;
  disability: YesNo;
  carer: YesNo;
  sexualOrientation: SexualOrientation;
  religion: Religion;
  deprivationDecile: number | null;
  /** Fields whose answer was not recognised. The answer itself is never kept: it may identify. */
  unrecognised: Array<{ field: string }>;
}

const UNKNOWN = new Set([
  '',
  '-',
  '--',
  '?',
  '.',
  'n/k',
  'nk',
  'not known',
  'unknown',
  'n/a',
  'na',
  'not applicable',
  'not recorded',
  'missing',
  'null',
  'none given',
  'blank',
  'no answer',
  'not answered',
  'no response',
  'not asked',
  'unk',
  'dont know',
  'do not know',
  'not sure',
  'unsure',
]);
const PREFER_NOT = new Set([
  'prefer not to say',
  'prefer not say',
  'pnts',
  'pns',
  'rather not say',
  'id rather not say',
  'i would rather not say',
  'would rather not say',
  'not stated',
  'declined',
  'declined to answer',
  'refused',
  'dont want to say',
  'do not wish to say',
  'prefer not to answer',
  'prefer not to disclose',
  'not disclosed',
  'withheld',
  'i prefer not to say',
]);

/** Lower case, apostrophes dropped, punctuation to spaces, single-spaced. */
function clean(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/[^a-z0-9+/.]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function noAnswer(c: string): NoAnswer | undefined {
  if (UNKNOWN.has(c)) return 'unknown';
  if (
    PREFER_NOT.has(c) ||
    /^prefer not\b/.test(c) ||
    /^(?:i d |id |i would )?rather not\b/.test(c)
  ) {
    return 'prefer_not_to_say';
  }
  return undefined;
}

const words = (c: string): Set<string> => new Set(c.split(/[\s/.]+/));

// ---------------------------------------------------------------------------------------------
// Age

const BANDS: Array<[AgeBand, number, number]> = [
  ['0-15', 0, 15],
  ['16-17', 16, 17],
  ['18-24', 18, 24],
  ['25-34', 25, 34],
  ['35-44', 35, 44],
  ['45-54', 45, 54],
  ['55-64', 55, 64],
  ['65-74', 65, 74],
  ['75-84', 75, 84],
  ['85+', 85, Infinity],
];
const MAX_AGE = 120;

function bandOfAge(age: number): AgeBand | undefined {
  if (!Number.isFinite(age) || age < 0 || age > MAX_AGE) return undefined;
  return BANDS.find(([, lo, hi]) => age >= lo && age <= hi)?.[0];
}

/**
 * A partner's band that lies inside one of ours maps to it. One that straddles ours maps only
 * when at least three quarters of its years fall in a single band of ours ("16-24" -> 18-24,
 * "0-17" -> 0-15); otherwise ("40-49", "60-69") it is `unknown`, because guessing would put
 * people in the wrong band.
 */
function bandOfRange(lo: number, hi: number): AgeBand | 'unknown' {
  if (hi === Infinity) return bandContaining(lo, hi);
  if (lo > hi || hi > MAX_AGE) return 'unknown';
  const years = hi - lo + 1;
  for (const [band, bLo, bHi] of BANDS) {
    const overlap = Math.min(hi, bHi) - Math.max(lo, bLo) + 1;
    if (overlap >= years * 0.75) return band;
  }
  return 'unknown';
}

/**
 * Open-ended and under/over answers ("85+", "over 84", "under 16", "15 and under") map to the one
 * band that holds every age they allow; one that straddles bands ("65+", "under 18") is `unknown`:
 * there is no band to put the person in without guessing.
 */
function bandContaining(lo: number, hi: number): AgeBand | 'unknown' {
  if (lo < 0 || lo > hi || lo > MAX_AGE) return 'unknown';
  const band = BANDS.find(([, bLo, bHi]) => lo >= bLo && hi <= bHi);
  return band ? band[0] : 'unknown';
}

/** Year of birth, written as such ("born 1950", "YOB: 1950", "DOB 12/03/1950"): only the year is read. */
const BIRTH_YEAR =
  /^(?:born(?: in)?|b\.?|yob|year of birth|birth year|dob|d\.o\.b\.?|date of birth)[ .]*(?:\d{1,2}[/. ]\d{1,2}[/. ])?(\d{4})$/;

function parseAge(raw: string, referenceYear: number): AgeBand | NoAnswer | undefined {
  const c = clean(raw);
  const none = noAnswer(c);
  if (none) return none;
  const t = c
    .replace(/\b(?:aged?|years?|yrs?|y o|yo|old|years old)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  let m: RegExpExecArray | null;
  if ((m = /^(\d{1,3})(?:\.0+)?$/.exec(t))) return bandOfAge(Number(m[1]));
  if ((m = /^(\d{4})(?:\.0+)?$/.exec(t)) ?? (m = BIRTH_YEAR.exec(c))) {
    const year = Number(m[1]);
    if (year > referenceYear || year < referenceYear - MAX_AGE) return undefined;
    return bandOfAge(referenceYear - year);
  }
  if ((m = /^(\d{1,3})(?: ?(?:to|\/) ?| )(\d{1,3})$/.exec(t))) {
    return bandOfRange(Number(m[1]), Number(m[2]));
  }
  if ((m = /^(?:over|above|older than|more than) (\d{1,3})$/.exec(t))) {
    return bandContaining(Number(m[1]) + 1, Infinity);
  }
  if (
    (m = /^(\d{1,3}) ?(?:\+|plus|and over|and above|or over|or above|or older|and older)$/.exec(t))
  ) {
    return bandContaining(Number(m[1]), Infinity);
  }
  if ((m = /^(?:under|below|younger than|less than) (\d{1,3})$/.exec(t))) {
    return bandContaining(0, Number(m[1]) - 1);
  }
  if (
    (m = /^(\d{1,3}) ?(?:and under|or under|and below|or below|or younger|and younger)$/.exec(t))
  ) {
    return bandContaining(0, Number(m[1]));
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Sex and gender identity

function parseSex(raw: string): Sex | undefined {
  const c = clean(raw);
  const none = noAnswer(c);
  if (none) return none;
  switch (c) {
    case 'm':
    case 'male':
    case 'man':
    case 'boy':
    case '1':
    case 'male sex':
      return 'male';
    case 'f':
    case 'female':
    case 'woman':
    case 'girl':
    case '2':
    case 'female sex':
      return 'female';
    case 'intersex':
    case 'i':
    case 'indeterminate':
    case '9':
    case 'variation in sex characteristics':
      return 'intersex';
    case 'x':
    case '0':
      // NHS Person Stated Gender codes X and 0 mean "not known".
      return 'unknown';
    case 'other':
    case 'o':
      return 'other';
    default:
      return undefined;
  }
}

function parseGender(raw: string): GenderIdentity | undefined {
  const c = clean(raw);
  const none = noAnswer(c);
  if (none) return none;
  const w = words(c);
  const trans = w.has('trans') || w.has('transgender') || /\btrans ?(?:wo)?man\b/.test(c);
  if (/\bnon ?binary\b|\bnb\b|\benby\b|\bgenderqueer\b|\bgender ?fluid\b|\bagender\b/.test(c)) {
    return 'non_binary';
  }
  if (/\btrans ?woman\b|\bmale to female\b|\bmtf\b/.test(c)) return 'trans_woman';
  if (/\btrans ?man\b|\bfemale to male\b|\bftm\b/.test(c)) return 'trans_man';
  if (trans) return 'trans';
  // Answers to the 2021 Census question "Is the gender you identify with the same as your sex
  // registered at birth?".
  if (
    /^(?:yes|y|same|same as (?:my )?(?:sex|gender) (?:registered |assigned )?at birth|cis|cisgender)$/.test(
      c,
    )
  ) {
    return 'same_as_sex_at_birth';
  }
  if (/^(?:no|n|different|not the same)$/.test(c)) return 'trans';
  if (/^(?:woman|female|f|girl|lady|cis woman|cisgender woman)$/.test(c)) return 'woman';
  if (/^(?:man|male|m|boy|gentleman|cis man|cisgender man)$/.test(c)) return 'man';
  if (/^(?:other|in another way|prefer to self describe|self describe|another gender)$/.test(c)) {
    return 'other';
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Ethnicity

const DETAIL_GROUP: Record<EthnicityDetail, Exclude<EthnicityGroup, NoAnswer>> = {
  asian_indian: 'asian',
  asian_pakistani: 'asian',
  asian_bangladeshi: 'asian',
  asian_chinese: 'asian',
  asian_other: 'asian',
  black_african: 'black',
  black_caribbean: 'black',
  black_other: 'black',
  mixed_white_black_caribbean: 'mixed',
  mixed_white_black_african: 'mixed',
  mixed_white_asian: 'mixed',
  mixed_other: 'mixed',
  white_english_welsh_scottish_ni_british: 'white',
  white_irish: 'white',
  white_gypsy_irish_traveller: 'white',
  white_roma: 'white',
  white_other: 'white',
  other_arab: 'other',
  other_any_other: 'other',
};

/** NHS Data Dictionary ethnic category codes (2001 groups; Chinese is Asian from 2021). */
const NHS_ETHNIC_CODES: Record<string, EthnicityDetail | NoAnswer> = {
  a: 'white_english_welsh_scottish_ni_british',
  b: 'white_irish',
  c: 'white_other',
  d: 'mixed_white_black_caribbean',
  e: 'mixed_white_black_african',
  f: 'mixed_white_asian',
  g: 'mixed_other',
  h: 'asian_indian',
  j: 'asian_pakistani',
  k: 'asian_bangladeshi',
  l: 'asian_other',
  m: 'black_caribbean',
  n: 'black_african',
  p: 'black_other',
  r: 'asian_chinese',
  s: 'other_any_other',
  z: 'prefer_not_to_say',
  '99': 'unknown',
};

const WHITE_OTHER_WORDS =
  /\b(?:polish|romanian|lithuanian|latvian|bulgarian|hungarian|slovak|czech|portuguese|italian|spanish|french|german|greek|eastern european|european|white european|white other)\b/;
const ASIAN_OTHER_WORDS =
  /\b(?:nepali|nepalese|gurkha|sri lankan|tamil|filipino|afghan|vietnamese|asian other)\b/;
const BLACK_AFRICAN_WORDS =
  /\b(?:somali|nigerian|ghanaian|eritrean|sudanese|zimbabwean|congolese)\b/;
const BRITISH_WORDS = /\b(?:british|english|welsh|scottish|northern irish|uk|wb)\b/;

function parseEthnicity(
  raw: string,
): { group: EthnicityGroup; detail: EthnicityDetail | NoAnswer } | undefined {
  const c = clean(raw);
  const none = noAnswer(c);
  if (none) return { group: none, detail: none };
  const code = NHS_ETHNIC_CODES[c];
  if (code)
    return code === 'unknown' || code === 'prefer_not_to_say'
      ? { group: code, detail: code }
      : withGroup(code);

  const detail = ethnicityDetail(c);
  if (detail) return withGroup(detail);
  const group = ethnicityGroup(c);
  return group ? { group, detail: 'unknown' } : undefined;
}

function withGroup(detail: EthnicityDetail): { group: EthnicityGroup; detail: EthnicityDetail } {
  return { group: DETAIL_GROUP[detail], detail };
}

const OTHER_OF: Record<string, EthnicityDetail> = {
  white: 'white_other',
  asian: 'asian_other',
  black: 'black_other',
  mixed: 'mixed_other',
  multiple: 'mixed_other',
  ethnic: 'other_any_other',
};

function ethnicityDetail(c: string): EthnicityDetail | undefined {
  const mixed =
    /\b(?:mixed|multiple|dual heritage|mixed race)\b/.test(c) ||
    /\bwhite (?:and|&) (?:black|asian)\b/.test(c);
  const anyOther = /\b(?:any other|other)\b/.test(c);
  if (/\b(?:gypsy|gipsy|traveller|traveler)\b/.test(c)) return 'white_gypsy_irish_traveller';
  if (/\broma\b/.test(c)) return 'white_roma';
  if (/\barab\b|\barabic\b/.test(c)) return 'other_arab';
  // "Any other Black, Black British, or Caribbean background" names its group right after "other".
  const otherOf = /\bother (white|asian|black|mixed|multiple|ethnic)\b/.exec(c)?.[1];
  if (otherOf) return OTHER_OF[otherOf];
  if (mixed) {
    if (/\bcaribbean\b/.test(c)) return 'mixed_white_black_caribbean';
    if (/\bafrican\b/.test(c)) return 'mixed_white_black_african';
    if (/\basian\b/.test(c) && !anyOther) return 'mixed_white_asian';
    if (anyOther) return 'mixed_other';
    return undefined;
  }
  if (/\bpakistani\b/.test(c)) return 'asian_pakistani';
  if (/\bbangladeshi\b/.test(c)) return 'asian_bangladeshi';
  if (/\bindian\b/.test(c) && !/\bwest indian\b/.test(c)) return 'asian_indian';
  if (/\bchinese\b/.test(c)) return 'asian_chinese';
  if (/\bcaribbean\b|\bwest indian\b|\bjamaican\b/.test(c)) return 'black_caribbean';
  if (/\bafrican\b/.test(c) || BLACK_AFRICAN_WORDS.test(c)) return 'black_african';
  if (/\birish\b/.test(c) && !/\bnorthern irish\b/.test(c)) return 'white_irish';
  if (anyOther) {
    if (/\bwhite\b/.test(c)) return 'white_other';
    if (/\basian\b/.test(c)) return 'asian_other';
    if (/\bblack\b/.test(c)) return 'black_other';
    if (/\bethnic\b|^other$/.test(c)) return 'other_any_other';
  }
  if (WHITE_OTHER_WORDS.test(c)) return 'white_other';
  if (ASIAN_OTHER_WORDS.test(c)) return 'asian_other';
  if (/\bwhite\b/.test(c) && BRITISH_WORDS.test(c))
    return 'white_english_welsh_scottish_ni_british';
  return undefined;
}

function ethnicityGroup(c: string): Exclude<EthnicityGroup, NoAnswer> | undefined {
  if (/\bwhite\b/.test(c)) return 'white';
  if (/\basian\b/.test(c)) return 'asian';
  if (/\bblack\b/.test(c)) return 'black';
  if (/\b(?:mixed|multiple)\b/.test(c)) return 'mixed';
  if (/\bother ethnic\b/.test(c)) return 'other';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Yes / no questions

function parseYesNo(raw: string, yes: RegExp, no: RegExp): YesNo | undefined {
  const c = clean(raw);
  const none = noAnswer(c);
  if (none) return none;
  if (/^(?:no|n|false|0)$/.test(c) || no.test(c)) return 'no';
  if (/^(?:yes|y|true|1)$/.test(c) || /^yes\b/.test(c) || yes.test(c)) return 'yes';
  return undefined;
}

const DISABILITY_YES =
  /^(?:disabled|has a disability|i have a disability|limited a (?:lot|little)|long term condition|yes limited)/;
const DISABILITY_NO =
  /^(?:none|not disabled|no disability|no disabilities|i do not have a disability|no not limited|not limited)/;
const CARER_YES =
  /^(?:carer|unpaid carer|i am a carer|young carer|parent carer|yes i am a carer|yes i look after)/;
const CARER_NO = /^(?:not a carer|i am not a carer|none|no i am not)/;

// ---------------------------------------------------------------------------------------------
// Sexual orientation and religion

function parseSexuality(raw: string): SexualOrientation | undefined {
  const c = clean(raw).replace(/\//g, ' or ');
  const none = noAnswer(c);
  if (none) return none;
  if (
    /^(?:heterosexual|straight|hetero|heterosexual or straight|straight or heterosexual)$/.test(c)
  ) {
    return 'heterosexual';
  }
  if (
    /^(?:gay|lesbian|gay or lesbian|gay man|gay woman|gay woman or lesbian|homosexual|lesbian or gay)$/.test(
      c,
    )
  ) {
    return 'gay_or_lesbian';
  }
  if (/^(?:bi|bisexual|bi sexual)$/.test(c)) return 'bisexual';
  if (
    /^(?:other|other sexual orientation|pansexual|asexual|queer|ace|pan|questioning|demisexual)$/.test(
      c,
    )
  ) {
    return 'other';
  }
  return undefined;
}

const RELIGION_PATTERNS: Array<[Religion, RegExp]> = [
  [
    'no_religion',
    /^(?:none|no|no religion|nil|atheist|agnostic|humanist|non religious|not religious|no faith|no religion or belief)$/,
  ],
  [
    'christian',
    /\b(?:christian|christianity|c of e|cofe|church of england|anglican|catholic|roman catholic|rc|methodist|baptist|protestant|presbyterian|pentecostal|evangelical|orthodox|greek orthodox|jehovahs witness|church of scotland|quaker|salvation army|mormon|lds)\b/,
  ],
  ['muslim', /\b(?:muslim|moslem|islam|islamic|sunni|shia)\b/],
  ['hindu', /\b(?:hindu|hinduism)\b/],
  ['sikh', /\b(?:sikh|sikhism)\b/],
  ['jewish', /\b(?:jewish|jew|judaism)\b/],
  ['buddhist', /\b(?:buddhist|buddhism)\b/],
  [
    'other',
    /^(?:other|any other religion|other religion|pagan|wicca|wiccan|spiritualist|spiritual|rastafarian|jain|zoroastrian|bahai|druid)$/,
  ],
];

function parseReligion(raw: string): Religion | undefined {
  const c = clean(raw);
  const none = noAnswer(c);
  if (none) return none;
  return RELIGION_PATTERNS.find(([, re]) => re.test(c))?.[0];
}

function parseDecile(raw: string): number | null | undefined {
  const c = clean(raw);
  if (noAnswer(c)) return null;
  const m = /^(?:imd )?(?:decile )?(\d{1,2})(?:\.0+)?$/.exec(c);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n >= 1 && n <= 10 ? n : undefined;
}

// ---------------------------------------------------------------------------------------------

export function normaliseDemographics(input: DemographicsInput): Demographics {
  const unrecognised: Array<{ field: string }> = [];
  const referenceYear = input.referenceYear ?? new Date().getFullYear();

  function take<T>(
    field: string,
    raw: string | undefined,
    parse: (s: string) => T | undefined,
    fallback: T,
  ): T {
    if (raw === undefined) return fallback;
    const value = parse(raw);
    if (value !== undefined) return value;
    unrecognised.push({ field });
    return fallback;
  }

  const noEthnicity: ReturnType<typeof parseEthnicity> = { group: 'unknown', detail: 'unknown' };
  const ethnicity = take('ethnicity', input.ethnicity, parseEthnicity, noEthnicity) ?? noEthnicity;
  return {
    ageBand: take('age', input.age, (s) => parseAge(s, referenceYear), 'unknown'),
    sex: take('sex', input.sex, parseSex, 'unknown'),
    genderIdentity: take('gender', input.gender, parseGender, 'unknown'),
    ethnicityGroup: ethnicity.group,
    ethnicityDetail: ethnicity.detail,
    disability: take(
      'disability',
      input.disability,
      (s) => parseYesNo(s, DISABILITY_YES, DISABILITY_NO),
      'unknown',
    ),
    carer: take('carer', input.carer, (s) => parseYesNo(s, CARER_YES, CARER_NO), 'unknown'),
    sexualOrientation: take('sexuality', input.sexuality, parseSexuality, 'unknown'),
    religion: take('religion', input.religion, parseReligion, 'unknown'),
    deprivationDecile: take('deprivationDecile', input.deprivationDecile, parseDecile, null),
    unrecognised,
  };
}
