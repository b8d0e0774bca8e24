import { findPhoneNumbersInText } from 'libphonenumber-js';
import { normalisePostcode } from '../places/postcode';
import { isValidNhsNumber, isValidNiPrefix } from './identifiers';
import { PiiType } from './redaction.types';

/** A candidate span; `priority` settles overlaps between detectors (higher wins). */
export interface Candidate {
  type: PiiType;
  start: number;
  end: number;
  priority: number;
  postcodeDistrict?: string;
}

function before(text: string, index: number, width: number): string {
  return text.slice(Math.max(0, index - width), index).toLowerCase();
}

function after(text: string, index: number, width: number): string {
  return text.slice(index, index + width).toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Email

const EMAIL =
  /[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}/g;

export function findEmails(text: string, out: Candidate[]): void {
  if (!text.includes('@')) return;
  for (const m of text.matchAll(EMAIL)) {
    out.push({ type: 'EMAIL', start: m.index, end: m.index + m[0].length, priority: 90 });
  }
}

// ---------------------------------------------------------------------------------------------
// NHS number

const NHS_CANDIDATE = /(?<![\d-])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\d]|-\d)/g;
// In a short field only digits bound the number: "HW-9434765919" is a reference built on one.
const NHS_CANDIDATE_IN_FIELD = /(?<!\d)(\d{3})([ -]?)(\d{3})\2(\d{4})(?!\d)/g;
const NHS_CONTEXT_BEFORE =
  /\bnhs\b|\bchi\b|\bpatient\b|(?:\bnumber|\bno\.?|\bnum|#)\s*(?:is|was|:)?\s*[:.-]?\s*$/;
const NHS_CONTEXT_AFTER = /^\W{0,3}(?:is|was|being)?\s*(?:my|his|her|their|the)?\s*nhs\b/;
// Words that mark a number as something else. "ref" and "case" only count against unspaced
// runs: a number printed 3-3-4 and called a reference is still most likely an NHS number.
const NOT_NHS_CONTEXT =
  /\b(?:order|invoice|account|acc|tracking|booking|parcel|serial|policy|card|transaction|claim|tel|telephone|phone|mobile|mob|call|ring|text|ticket|receipt|barcode|isbn)\b/;
const WEAK_NOT_NHS_CONTEXT = /\b(?:ref|reference|case)\b/;

/**
 * An unspaced ten-digit run is as likely to be an order or account reference as an NHS number
 * (one random number in eleven passes the checksum), so it is taken only with NHS wording around
 * it. The 3-3-4 grouping is how NHS numbers are printed, so grouped numbers need no such context.
 * `anyContext` takes every number that passes the check digit: for short fields (references,
 * titles, reasons) where a bare number has no wording around it to tell it apart.
 */
export function findNhsNumbers(text: string, out: Candidate[], anyContext = false): void {
  for (const m of text.matchAll(anyContext ? NHS_CANDIDATE_IN_FIELD : NHS_CANDIDATE)) {
    const digits = m[1] + m[3] + m[4];
    if (!isValidNhsNumber(digits)) continue;
    const start = m.index;
    const end = start + m[0].length;
    if (anyContext) {
      out.push({ type: 'NHS_NUMBER', start, end, priority: 85 });
      continue;
    }
    const pre = before(text, start, 40);
    const positive = NHS_CONTEXT_BEFORE.test(pre) || NHS_CONTEXT_AFTER.test(after(text, end, 30));
    const grouped = m[2] !== '';
    const near = before(text, start, 30);
    const negative = NOT_NHS_CONTEXT.test(near) || (!grouped && WEAK_NOT_NHS_CONTEXT.test(near));
    const strongNhs = /\bnhs\b/.test(pre);
    if (strongNhs || (positive && !negative) || (grouped && !negative)) {
      out.push({ type: 'NHS_NUMBER', start, end, priority: strongNhs ? 85 : 70 });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Phone

// Runs of phone punctuation that start the way phone numbers are written (0, +, or "(0"). A 0
// that continues a number ("3.07", "12/07", a thousands group as in "1,000 000") starts none; after
// a word's comma or full stop, or a longer number's comma, it does ("01234 567890,07700 900123").
const PHONE_RUN = /(?:\+|\(?(?<![\d/])(?<!\d\.)(?<!\d,(?=\d{3}(?!\d)))0)[\d\s().-]{8,}\d/g;
const DIGITS = /\d/g;
// A UUID's digit groups ("d061-4577-975a") look like a number but are an id, not a person's.
const UUID_TOKEN = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

/**
 * libphonenumber's strict validity check rejects Ofcom's reserved drama ranges and newly
 * allocated ranges, so numbers are found in its extended (possible-number) mode. It is costly on
 * long text, so it only sees the short runs that could hold a number.
 */
export function findPhones(text: string, out: Candidate[]): void {
  const ids = [...text.matchAll(UUID_TOKEN)].map((m) => [m.index, m.index + m[0].length]);
  const inId = (start: number, end: number): boolean => ids.some(([a, b]) => start < b && end > a);
  for (const run of text.matchAll(PHONE_RUN)) {
    if ((run[0].match(DIGITS)?.length ?? 0) < 9) continue;
    for (const m of findPhoneNumbersInText(run[0], { defaultCountry: 'GB', extended: true })) {
      const raw = run[0].slice(m.startsAt, m.endsAt);
      if (!/^(?:\+|\(?0)/.test(raw)) continue;
      const national = m.number.nationalNumber;
      if (m.number.countryCallingCode === '44' && (national.length < 9 || national.length > 10)) {
        continue;
      }
      const start = run.index + m.startsAt;
      if (inId(start, start + raw.length)) continue;
      out.push({ type: 'PHONE', start, end: start + raw.length, priority: 75 });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// National Insurance number

const NI_CANDIDATE = /\b([A-Za-z]{2}) ?(\d{2}) ?(\d{2}) ?(\d{2})(?: ?([A-Da-d]))?\b/g;
const NI_CONTEXT = /\b(?:national insurance|ni|nino|n\.i\.)\b/;

export function findNiNumbers(text: string, out: Candidate[]): void {
  for (const m of text.matchAll(NI_CANDIDATE)) {
    const prefix = m[1].toUpperCase();
    if (!isValidNiPrefix(prefix)) continue;
    // Without the suffix letter, or in lower case ("at 10 30 45 a"), the shape is shared by
    // ordinary prose and reference codes, so NI wording must be nearby.
    if (m[1] !== prefix || m[5] === undefined) {
      if (!NI_CONTEXT.test(before(text, m.index, 40))) continue;
    }
    out.push({ type: 'NI_NUMBER', start: m.index, end: m.index + m[0].length, priority: 80 });
  }
}

// ---------------------------------------------------------------------------------------------
// Postcode

// Forms and spreadsheets often hold two spaces or a non-breaking space inside a postcode.
const POSTCODE_CANDIDATE = /\b([A-Za-z]{1,2}\d[A-Za-z\d]?)[ \u00a0]{0,2}(\d[A-Za-z]{2})\b/g;
const ORDINAL_SUFFIX = /^\d(?:st|nd|rd|th)$/i;

export function findPostcodes(text: string, out: Candidate[]): void {
  for (const m of text.matchAll(POSTCODE_CANDIDATE)) {
    const raw = m[0];
    const upper = raw === raw.toUpperCase();
    // Lower-case matches are accepted only when wholly lower case and not an ordinal such as
    // "m2 1st", which is how ordinary prose collides with the pattern.
    if (!upper && (raw !== raw.toLowerCase() || ORDINAL_SUFFIX.test(m[2]))) continue;
    const normalised = normalisePostcode(raw);
    if (!normalised) continue;
    out.push({
      type: 'POSTCODE',
      start: m.index,
      end: m.index + raw.length,
      priority: 80,
      postcodeDistrict: normalised.slice(0, normalised.indexOf(' ')),
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Date of birth

const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const DATE_CANDIDATE = new RegExp(
  [
    String.raw`\b(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|1[0-2])[/.-](?:\d{4}|\d{2})\b`,
    String.raw`\b(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?(?:\s+of)?\s+${MONTH}\.?,?(?:\s+(?:19|20)\d{2}\b)?`,
    String.raw`\b${MONTH}\s+(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?\b(?:,?\s+(?:19|20)\d{2}\b)?`,
    String.raw`\b(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b`,
  ].join('|'),
  'gi',
);
const DOB_CONTEXT = /\b(?:dob|d\.o\.b\.?|date of birth|birth ?date|born|birthday|b'day)\b/;

export function findDatesOfBirth(text: string, out: Candidate[]): void {
  const lower = text.toLowerCase();
  if (!/dob|d\.o\.b|birth|born|b'day/.test(lower)) return;
  for (const m of text.matchAll(DATE_CANDIDATE)) {
    if (!DOB_CONTEXT.test(before(text, m.index, 40))) continue;
    out.push({
      type: 'DATE_OF_BIRTH',
      start: m.index,
      end: m.index + m[0].trimEnd().replace(/[.,]$/, '').length,
      priority: 60,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Names

const TITLES_WITH_DOT = ['Dr', 'Mr', 'Mrs', 'Ms', 'Mx', 'Prof', 'Rev', 'Revd', 'Sr'];
const TITLES_WORDS = [
  'Doctor',
  'Miss',
  'Professor',
  'Nurse',
  'Sister',
  'Matron',
  'Midwife',
  'Sir',
  'Dame',
];

function anyFirstCase(word: string): string {
  return `[${word[0]}${word[0].toLowerCase()}]${word.slice(1)}`;
}

// Job titles written as capitals before a name ("CPN Faye", "HCA Jo").
const ROLE_ABBREVIATIONS = ['CPN', 'HCA', 'ANP', 'ACP', 'RMN', 'RGN'];

export const TITLE = `(?:(?:${TITLES_WITH_DOT.map(anyFirstCase).join('|')})\\.?|${TITLES_WORDS.map(anyFirstCase).join('|')}|${ROLE_ABBREVIATIONS.join('|')})`;
const PARTICLE = '(?:(?:van|von|de|da|der|den|del|di|du|la|le|al|el|bin|ben)\\s+)';
const NAME_PART = `(?:Mc|Mac|O['’]|D['’])?\\p{Lu}\\p{Ll}+`;
export const TOKEN = `${PARTICLE}?${NAME_PART}(?:-${NAME_PART})?`;
const INITIAL = '\\p{Lu}\\.?';
const NAME_RUN = `((?:${INITIAL}\\s+)?${TOKEN}(?:\\s+${TOKEN}){0,2})`;

export const ROLE =
  '(?:receptionist|nurse|doctor|gp|consultant|midwife|physio|physiotherapist|paramedic|surgeon|pharmacist|carer|care worker|support worker|health visitor|social worker|manager|lady|man|woman|gentleman|guy|girl|chap|staff member|member of staff|therapist|dentist|optician|porter|cleaner|volunteer|healthcare assistant|hca|technician|radiographer|sonographer|registrar|anaesthetist|matron|sister|student|call handler|advisor|adviser|navigator|coordinator|co-ordinator)';

const TITLED_NAME = new RegExp(`(?<![\\p{L}])${TITLE}\\s+${NAME_RUN}`, 'gu');
const ROLE_CALLED_NAME = new RegExp(
  `\\b${ROLE}\\b(?:\\s+[a-z0-9]+){0,4}?\\s+(?:called|named|by the name of)\\s+${NAME_RUN}`,
  'gu',
);
const NAME_THE_ROLE = new RegExp(
  `(?<![\\p{L}])(${TOKEN})\\s*,?\\s+(?:the|our|my|a)\\s+(?:lovely\\s+|kind\\s+|senior\\s+|student\\s+|staff\\s+)?${ROLE}\\b`,
  'gu',
);

// A name straight after a role: "the receptionist Sharon", "our lovely carer, Mohammed Al-Farsi".
// The role must be in lower case: in Title Case text ("The Doctor Listened") the capital says
// nothing.
export const ROLE_QUALIFIER =
  '(?:lovely|kind|senior|junior|student|staff|lead|duty|community|district|practice|specialist|ward|night|day|agency|bank|new|usual|regular|named|mental health|dementia|diabetes|cancer|stroke|heart failure|respiratory|palliative|macmillan|marie curie|admiral|diabetic|learning disability|school)';
const ROLE_THEN_NAME = new RegExp(
  `(?<![\\p{L}])(?:[Tt]he|[Aa]n?|[Mm]y|[Oo]ur|[Yy]our|[Hh]is|[Hh]er|[Tt]heir|[Oo]ne)\\s+(?:${ROLE_QUALIFIER}\\s+){0,2}(?:${ROLE}|GP|HCA)\\s*,?\\s+${NAME_RUN}`,
  'gu',
);

// A relative, friend or carer named after "my": "my daughter Sophie", "our late mum, Joan".
export const RELATION =
  '(?:daughter|son|husband|wife|partner|boyfriend|girlfriend|fianc[eé]e?|mum|mummy|mam|mom|mother|dad|daddy|father|brother|sister|grandson|granddaughter|grandchild|nan|nana|nanna|nanny|gran|granny|grandma|grandmother|grandad|granddad|grandpa|grandfather|aunt|auntie|aunty|uncle|niece|nephew|cousin|friend|neighbour|child|baby|boy|girl|twin|stepson|stepdaughter|stepmum|stepdad|(?:mother|father|son|daughter|sister|brother)-in-law|carer|cared-for|loved one|relative|husband-to-be|wife-to-be)';
export const RELATION_QUALIFIER =
  '(?:little|baby|eldest|oldest|youngest|middle|late|elderly|twin|adult|teenage|disabled|autistic|poorly|new-?born|step|best|older|younger|big|lovely|dear)';
const RELATIVE_NAME = new RegExp(
  `(?<![\\p{L}])(?:[Mm]y|[Oo]ur|[Hh]is|[Hh]er|[Tt]heir|[Yy]our)\\s+(?:${RELATION_QUALIFIER}\\s+){0,2}${RELATION}\\s*,?\\s+${NAME_RUN}`,
  'gu',
);

// Thanks and praise addressed to someone: "thank you Trevor", "thanks to Mei Lin and Fred".
const THANKS_NAME = new RegExp(
  `(?<![\\p{L}])(?:[Tt]hank(?:s|\\s+you|you)?|THANK(?:S|\\s+YOU)?|[Cc]heers|[Ss]hout[- ]?out|[Kk]udos|[Bb]ig\\s+up|[Ww]ell\\s+done|[Pp]raise)(?:\\s+(?:so\\s+much|very\\s+much|again|also|especially|in\\s+particular|particularly))?(?:\\s+(?:to|for))?\\s*,?\\s+${NAME_RUN}`,
  'gu',
);

// "my name is john smith": after these words a name is expected, in whatever case it is written.
const NAME_IS = new RegExp(
  String.raw`(?<![\p{L}])(?:(?:my|his|her|their|whose|the|the\s+patient['’]?s|patient['’]?s|(?:my|his|her|their)\s+(?:son|daughter|husband|wife|partner|mum|mother|dad|father|child|baby)['’]s)\s+(?:(?:full|first|last|real|given|maiden|married)\s+|sur)?name\s+(?:is|was|are|were)|(?:my|his|her|their)\s+name['’]s|i\s+am\s+called|i['’]m\s+called|(?:full\s+|first\s+|sur|contact\s+)?name\s*:|contact\s*:)\s+`,
  'giu',
);
const NAME_IS_WORD = /^[\p{L}][\p{L}'’-]*/u;

// "I am Peter Smith": a first name and a surname, both capitalised ("this is" and "it's" are
// left alone: they introduce places as often as people).
const SELF_NAMED = new RegExp(
  `(?<![\\p{L}])(?:I\\s+am|I['’]m)\\s+(${NAME_PART}(?:-${NAME_PART})?\\s+${TOKEN}(?:\\s+${TOKEN})?)(?![\\p{L}'’-])`,
  'gu',
);
// Capitalised words after "I am" that describe rather than name ("I am Black British").
const NOT_SELF_NAMES = new Set(
  (
    'British English Scottish Welsh Irish Northern Black White Asian Mixed Arab Other Polish ' +
    'Romanian Lithuanian Latvian Bulgarian Portuguese Italian Spanish French German Turkish Kurdish ' +
    'Indian Pakistani Bangladeshi Chinese Nepali Gurkha Sri Lankan Caribbean African Ghanaian ' +
    'Nigerian Somali Eritrean Sudanese Afghan Iranian Syrian Ukrainian Gypsy Roma Traveller ' +
    'Jewish Muslim Christian Hindu Sikh Buddhist Catholic Church Type Deaf Blind Registered ' +
    'Autistic Disabled Diabetic Veteran Ex Army Navy Royal Air Force Gay Lesbian Bisexual Trans ' +
    'Transgender Queer Non Male Female Agender Pregnant Housebound Retired Unemployed Self ' +
    'Employed Full Part Partially Sighted Hard Hearing Learning Disability Mental Health'
  ).split(' '),
);

// Capitalised words that follow a title or role but are not names ("Nurse Practitioner",
// "the Mr Men", "Dr. Great service", sentence starts after "the nurse.").
export const NOT_NAMES = new Set(
  (
    'A An And Any As At Be But By Can Could Did Do Does For From Had Has Have He Her Here His How I ' +
    'If In Is It Its Just My No Not Of On Or Our She So Some That The Their Them Then There These ' +
    'They This To Told Too Us Very Was We Were What When Where Which Who Why Will With Would Yes You ' +
    'Your Also After Again All Always Although Another Because Before Being Both Each Even Ever ' +
    'Every Everyone Everything Few Finally First However Instead Later Many More Most Much Never ' +
    'Next Nothing Now Once Only Other Otherwise Overall Please Rather Really Said Should Since Sadly ' +
    'Still Such Than Thank Thanks Thankyou Though Through Today Tomorrow Tonight Unfortunately Until ' +
    'Well While Yesterday Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February ' +
    'March April June July August September October November December Morning Afternoon Evening ' +
    'Night Great Good Excellent Lovely Brilliant Amazing Fantastic Wonderful Nice Kind Poor Terrible ' +
    'Awful Rude Caring Friendly Helpful Professional Absolutely Totally Highly Happy Best Worst ' +
    'Better Worse Quick Quickly Waiting Wait Time Staff Service Services Appointment Appointments ' +
    'Practitioner Practitioners Practice Surgery Surgeries Team Teams Men Man Women Woman Ward Wards ' +
    'Sister Sisters Nurse Nurses Doctor Doctors Manager Managers Lead Led Specialist Specialists ' +
    'Station Associate Associates Unit Units Clinic Clinics Department Care Health Hospital Hospitals ' +
    'Consultant Consultants Midwife Midwives Matron Receptionist Receptionists Reception Assistant ' +
    'Assistants Advanced Senior Junior Student Students Registrar Bank Agency Pharmacy Prescriber ' +
    'Prescribing Review Reviews Call Calls Line Visit Visits Round Rounds Office Desk Note Notes ' +
    'Letter Letters Who Strange Foster No Sir Madam Sirs Madams Christmas Easter English ' +
    // titles: the title rule names what follows them ("our GP Dr Shah")
    'Dr Mr Mrs Ms Mx Miss Prof Professor Rev Revd Sr Dame Mum Dad Mums Dads Nan Nans ' +
    // greetings, sign-offs and words that follow thanks
    'Indeed Everybody Everyone Anyway Guys Folks Lots Loads Ever Heaps Kindly Again God ' +
    'Goodness Heaven Heavens Dear Hello Hi Regards Bless Sorry Keep Carry Love ' +
    // conditions named after people, and shops that dispense
    'Alzheimer Alzheimers Parkinson Parkinsons Crohn Crohns Down Downs Asperger Aspergers ' +
    'Huntington Covid Dementia Autism Autistic Cancer Diabetes Epilepsy Boots Lloyds Tesco Asda ' +
    'Sainsburys Superdrug Morrisons Healthcare Age Mind Macmillan Healthwatch Community'
  ).split(' '),
);

// A name run followed by one of these is a place or a body, not a person ("thank you Kings Mill
// Hospital", "the carer Age UK sent").
export const FOLLOWED_BY_PLACE =
  /^\s*(?:['’]s\s+)?(?:Hospital|Health|Centre|Center|Surgery|Practice|Medical|Ward|Unit|Clinic|Team|Trust|Pharmacy|House|Lodge|Hospice|Community|NHS|UK|Council|Services?|Ambulance|Road|Street|Lane|University|General|Royal|Infirmary|Partnership|Group|Foundation|Charity|Hub|Court|Park|Village|Town|Way|Primary|Care|Home|Academy|School|College|Mill|Valley|Healthcare)\b/u;

// "Trevor and Fred", "Sam, Jo and Ali": further names in a list after the first.
const NAME_LIST_NEXT = new RegExp(
  `^(?:\\s*,\\s*(?:and\\s+|&\\s+)?|\\s+(?:and|&)\\s+)(${TOKEN}(?:\\s+${TOKEN}){0,2})`,
  'u',
);

/** Pushes the name at the start of `run`; returns where it ends in `text` (-1 when none). */
export function pushNameRun(
  text: string,
  runStart: number,
  run: string,
  out: Candidate[],
  opts: { notPlace?: boolean } = {},
): number {
  let end = -1;
  for (const t of run.matchAll(/\S+/g)) {
    const word = t[0];
    const isInitialOrParticle = /^(?:\p{Lu}\.?|\p{Ll}+)$/u.test(word);
    if (!isInitialOrParticle && NOT_NAMES.has(word)) break;
    end = t.index + word.length;
  }
  // Stopping at a particle or an initial would leave a fragment that is not a name.
  const kept = run.slice(0, Math.max(end, 0)).replace(/(?:\s+(?:\p{Lu}\.?|\p{Ll}+))+$/u, '');
  if (!/\p{Lu}\p{Ll}/u.test(kept)) return -1;
  const stop = runStart + kept.length;
  if (opts.notPlace && FOLLOWED_BY_PLACE.test(text.slice(stop, stop + 40))) return -1;
  out.push({ type: 'NAME', start: runStart, end: stop, priority: 40 });
  return stop;
}

/**
 * The name a cue matched (its group 1) and any names listed after it ("Trevor and Fred");
 * returns where the name ends (-1 when none).
 */
function pushCuedName(
  text: string,
  m: RegExpMatchArray & { index: number },
  out: Candidate[],
  opts: { notPlace?: boolean } = {},
): number {
  const stop = pushNameRun(text, m.index + m[0].length - m[1].length, m[1], out, opts);
  if (stop >= 0) pushNamesAfter(text, stop, out);
  return stop;
}

/** Names listed after a name already found, which ends at `stop` ("Dr Nixon and Kathryn"). */
export function pushNamesAfter(text: string, stop: number, out: Candidate[]): void {
  for (let i = 0; stop >= 0 && i < 6; i++) {
    const next = NAME_LIST_NEXT.exec(text.slice(stop, stop + 120));
    if (!next) return;
    stop = pushNameRun(text, stop + next[0].length - next[1].length, next[1], out, {
      notPlace: true,
    });
  }
}

const NAME_LIST_PREVIOUS = new RegExp(
  `(?:^|[^\\p{L}'’-])(${TOKEN}(?:\\s+${TOKEN}){0,2})(?:\\s*,\\s*(?:and\\s+|&\\s+)?|\\s+(?:and|&)\\s+)$`,
  'u',
);

/**
 * Names listed before a name already found ("Imogen and Dr Hartwell", "Tess, Rowan and Dr
 * Ashby"); `at` is where the title or cue of the found name starts.
 */
export function pushNamesBefore(text: string, at: number, out: Candidate[]): void {
  let end = at;
  for (let i = 0; i < 6; i++) {
    const from = Math.max(0, end - 120);
    const m = NAME_LIST_PREVIOUS.exec(text.slice(from, end));
    if (!m) return;
    const runAt = from + m.index + m[0].indexOf(m[1]);
    // Only the capitalised words after the last one that is not a name ("Many thanks Natasha").
    const words = [...m[1].matchAll(/\S+/g)];
    let first = words.length;
    while (first > 0 && !NOT_NAMES.has(words[first - 1][0])) first--;
    if (first === words.length) return;
    const start = runAt + words[first].index;
    const stop = runAt + m[1].length;
    if (!/\p{Lu}\p{Ll}/u.test(text.slice(start, stop))) return;
    out.push({ type: 'NAME', start, end: stop, priority: 40 });
    if (first > 0) return;
    end = runAt;
  }
}

// Words that end a name written after "my name is", in any case ("my name is on the list").
const NAME_IS_STOP = new Set([
  ...[...NOT_NAMES].map((w) => w.toLowerCase()),
  ...'called spelt spelled wrong wrongly incorrect incorrectly missing down listed recorded mentioned given taken shouted removed added changed misspelt misspelled put left still already on not never back up out away about regularly daily weekly often sometimes constantly repeatedly known unknown important irrelevant withheld confidential anonymous private unimportant attached below above here there shown printed me myself him himself herself themselves via asap anytime details number email e-mail phone mobile tel telephone address n/a na none'.split(
    ' ',
  ),
]);

function pushNameAfterCue(text: string, from: number, out: Candidate[]): void {
  let cursor = from;
  let end = -1;
  for (let words = 0; words < 3; words++) {
    const m = NAME_IS_WORD.exec(text.slice(cursor, cursor + 60));
    if (!m || NAME_IS_STOP.has(m[0].toLowerCase())) break;
    end = cursor + m[0].length;
    const gap = /^[ \t]+/.exec(text.slice(end, end + 10));
    if (!gap) break;
    cursor = end + gap[0].length;
  }
  if (end > from) out.push({ type: 'NAME', start: from, end, priority: 40 });
}

const MAY_HAVE_TITLE =
  /(?:dr|mrs?|ms|mx|prof(?:essor)?|revd?|sr|doctor|miss|nurse|sister|matron|midwife|sir|dame|cpn|hca|anp|acp|rmn|rgn)\.?\s/i;
const CAPITAL_AFTER_LOWER = /[\p{Ll},]\s+\p{Lu}/u;

export function findNames(text: string, out: Candidate[]): void {
  // Each rule runs only when a cheap test finds the words it needs: most comments name nobody.
  if (MAY_HAVE_TITLE.test(text)) {
    for (const m of text.matchAll(TITLED_NAME)) {
      if (pushCuedName(text, m, out) >= 0) pushNamesBefore(text, m.index, out);
    }
  }
  if (/(?:called|named|name of)\s/.test(text)) {
    for (const m of text.matchAll(ROLE_CALLED_NAME)) {
      pushNameRun(text, m.index + m[0].length - m[1].length, m[1], out);
    }
  }
  if (/name|called|contact/i.test(text)) {
    for (const m of text.matchAll(NAME_IS)) pushNameAfterCue(text, m.index + m[0].length, out);
  }
  if (/I am|I['’]m/.test(text)) {
    for (const m of text.matchAll(SELF_NAMED)) {
      const words = m[1].split(/\s+/);
      if (words.some((w) => NOT_NAMES.has(w) || NOT_SELF_NAMES.has(w))) continue;
      const start = m.index + m[0].length - m[1].length;
      out.push({ type: 'NAME', start, end: start + m[1].length, priority: 40 });
    }
  }
  // The rules below need a capitalised word after a lower-case one or a comma.
  if (!CAPITAL_AFTER_LOWER.test(text)) return;
  for (const m of text.matchAll(NAME_THE_ROLE)) {
    // At a sentence start the capital says nothing ("Eventually the nurse came"), so the name
    // must follow a lower-case word or a comma ("thanks to Sharon the receptionist").
    if (!/(?:\p{Ll}|,)\s+$/u.test(text.slice(Math.max(0, m.index - 3), m.index))) continue;
    pushNameRun(text, m.index, m[1], out);
  }
  for (const m of text.matchAll(ROLE_THEN_NAME)) pushCuedName(text, m, out);
  for (const m of text.matchAll(RELATIVE_NAME)) pushCuedName(text, m, out);
  if (/thank|cheers|shout|kudos|big up|well done|praise/i.test(text)) {
    for (const m of text.matchAll(THANKS_NAME)) {
      // Thanks go to places and teams as often as to people ("Thank you Kings Mill Hospital").
      pushCuedName(text, m, out, { notPlace: true });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Street address

const STREET_TYPE =
  '(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Way|Crescent|Cres|Gardens|Gdns|Place|Court|Terrace|Grove|Hill|Park|Square|Sq|Mews|Rise|View|Walk|Row|Parade|Green|Vale|Mead|Meadow|Meadows|Chase|Wharf|Quay|Boulevard|Approach|Hollow|Cottages|Villas|Crossway|Broadway|Embankment|Esplanade)';
const ADDRESS_CANDIDATE = new RegExp(
  `(?:\\b(?:Flat|Apartment|Apt|Room)\\s+\\d{1,4}[A-Za-z]?,?\\s+)?\\b\\d{1,4}[A-Za-z]?,?\\s+(?:\\p{Lu}[\\p{L}'’-]*\\s+){1,3}${STREET_TYPE}\\b\\.?`,
  'gu',
);
// Numbers that label a place inside a building rather than a house ("bay 3 Car Park").
const NOT_HOUSE_NUMBER =
  /\b(?:bed|bay|ward|room|level|floor|gate|platform|bus|route|no|number|car|door|clinic|theatre|unit|cubicle|area|zone|pod|chair|junction|exit|week|weeks|day|days|hour|hours|aged?)\s*$/;

export function findAddresses(text: string, out: Candidate[]): void {
  for (const m of text.matchAll(ADDRESS_CANDIDATE)) {
    const raw = m[0];
    const hasFlat = /^(?:Flat|Apartment|Apt|Room)\b/.test(raw);
    if (!hasFlat && NOT_HOUSE_NUMBER.test(before(text, m.index, 12))) continue;
    const end = m.index + (raw.endsWith('.') ? raw.length - 1 : raw.length);
    out.push({ type: 'ADDRESS', start: m.index, end, priority: 50 });
  }
}
