/** How codes read on a page: `healthwatch_report` → "Healthwatch report". */
export function humanise(code: string | null | undefined): string {
  if (!code) return '';
  const words = code.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const SPECIAL: Record<string, string> = {
  nhs111: 'NHS 111',
  gp: 'GP',
  icb: 'ICB',
  pals: 'PALS',
  fft: 'FFT',
};

const LANGUAGES: Record<string, string> = {
  en: 'English',
  cy: 'Welsh',
  pl: 'Polish',
  ro: 'Romanian',
  pa: 'Punjabi',
  ur: 'Urdu',
  ne: 'Nepali',
  lt: 'Lithuanian',
  bg: 'Bulgarian',
  tr: 'Turkish',
  ar: 'Arabic',
  fr: 'French',
  es: 'Spanish',
  pt: 'Portuguese',
};

/** A language code as its English name, when known. */
export function languageName(code: string | null | undefined): string {
  if (!code) return '';
  return LANGUAGES[code] ?? code;
}

/** A vocabulary value as a label, with the few acronyms written properly. */
export function label(code: string | null | undefined): string {
  if (!code) return '';
  return humanise(
    code
      .split('_')
      .map((w) => SPECIAL[w] ?? w)
      .join('_'),
  );
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `2024-03-01` → "1 March 2024" (the NHS.UK style); anything else as given. */
export function longDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const month = MONTHS[Number(m[2]) - 1];
  return month ? `${Number(m[3])} ${month} ${m[1]}` : iso;
}

/** `2024-03-01` → "March 2024"; `short` → "Mar 2024". */
export function monthLabel(period: string, short = false): string {
  const m = /^(\d{4})-(\d{2})/.exec(period);
  const name = m ? MONTHS[Number(m[2]) - 1] : undefined;
  if (!m || !name) return period;
  return `${short ? name.slice(0, 3) : name} ${m[1]}`;
}

/**
 * A search snippet as HTML. The search service escapes the comment and wraps matches in
 * `<mark>`; this keeps exactly those two tags and escapes any other `<` or `>`, so a snippet can
 * never carry other markup even if the escaping upstream changed.
 */
export function snippetHtml(html: string): string {
  return html.replace(/<(?!\/?mark>)/g, '&lt;').replace(/(?<!<\/?mark)>/g, '&gt;');
}
