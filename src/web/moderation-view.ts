import type { ModerationItemView } from '../moderation/dto/moderation.dto';
import type { SafeguardingMatch } from '../moderation/safeguarding';
import { humanise, label } from './labels';

const PII_WORDS: Record<string, [string, string]> = {
  NHS_NUMBER: ['NHS number', 'NHS numbers'],
  EMAIL: ['email address', 'email addresses'],
  PHONE: ['phone number', 'phone numbers'],
  NI_NUMBER: ['National Insurance number', 'National Insurance numbers'],
  POSTCODE: ['postcode', 'postcodes'],
  DATE_OF_BIRTH: ['date of birth', 'dates of birth'],
  NAME: ['name', 'names'],
  ADDRESS: ['address', 'addresses'],
};

/** Redaction counts in words: `{ NAME: 2, PHONE: 1 }` → "2 names, 1 phone number". */
export function redactionText(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([type, n]) => {
      const [one, many] = PII_WORDS[type] ?? [
        humanise(type.toLowerCase()),
        humanise(type.toLowerCase()),
      ];
      return `${n} ${n === 1 ? one : many}`;
    });
  return parts.join(', ');
}

export interface Segment {
  text: string;
  /** The safeguarding category the words matched, when they did. */
  category: string | null;
}

/**
 * The text cut at the safeguarding matches, so the page can mark them (the view escapes each
 * segment; only the `<mark>` around it is markup). Overlapping matches are merged.
 */
export function markedSegments(text: string, matches: readonly SafeguardingMatch[]): Segment[] {
  const spans = [...matches]
    .filter((m) => m.start >= 0 && m.end > m.start && m.end <= text.length)
    .sort((a, b) => a.start - b.start);
  const out: Segment[] = [];
  let at = 0;
  for (const m of spans) {
    if (m.end <= at) continue;
    const start = Math.max(m.start, at);
    if (start > at) out.push({ text: text.slice(at, start), category: null });
    out.push({ text: text.slice(start, m.end), category: label(m.category).toLowerCase() });
    at = m.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), category: null });
  return out;
}

const STATUS: Record<string, { text: string; colour: string }> = {
  pending: { text: 'Pending', colour: 'yellow' },
  approved: { text: 'Approved', colour: 'green' },
  rejected: { text: 'Rejected', colour: 'red' },
};

export interface ItemPageView {
  id: string;
  heading: string;
  question: string | null;
  segments: Segment[];
  text: string;
  status: { text: string; colour: string };
  moderationStatus: string;
  redaction: string;
  needsReview: boolean;
  safeguarding: boolean;
  categories: string[];
}

/** One item on the review and safeguarding pages. */
export function itemPageView(item: ModerationItemView): ItemPageView {
  return {
    id: item.id,
    // Parts count from 0 (the first answer of a row); people count answers from 1.
    heading:
      item.part > 0 ? `Row ${item.rowNumber}, answer ${item.part + 1}` : `Row ${item.rowNumber}`,
    question: item.question,
    segments: markedSegments(item.text, item.safeguardingMatches),
    text: item.text,
    status: STATUS[item.moderationStatus] ?? {
      text: humanise(item.moderationStatus),
      colour: 'grey',
    },
    moderationStatus: item.moderationStatus,
    redaction: redactionText(item.redaction),
    needsReview: item.needsReview,
    safeguarding: item.safeguarding,
    categories: item.safeguardingCategories.map((c) => label(c).toLowerCase()),
  };
}
