import { FIELD_WORDS, MISSING_FIELD_EFFECT, type MappingSummary } from '../../ingestion';
import type { BatchView } from '../batches/dto/batch-view';
import { humanise, label, languageName, longDate } from './labels';

/** What each processing status means to the person who uploaded the file. */
export const PHASE_TEXT: Record<string, string> = {
  received: 'Waiting to start',
  parsing: 'Reading the file',
  enriching: 'Removing personal details and finding themes',
  indexing: 'Adding the comments to search',
  complete: 'Complete',
  failed: 'Failed',
  partially_failed: 'Finished, with some parts failed',
  deleted: 'Deleted',
};

export const TERMINAL = ['complete', 'failed', 'partially_failed', 'deleted'];

/** Tag colours; the tag's text always says the same thing, so colour is never the only cue. */
const STATUS_COLOUR: Record<string, string> = {
  complete: 'green',
  failed: 'red',
  partially_failed: 'orange',
  deleted: 'grey',
};

const REVIEW_TEXT: Record<string, string> = {
  awaiting_review: 'Waiting for a moderator',
  approved: 'Approved',
  rejected: 'Rejected',
};

const REVIEW_COLOUR: Record<string, string> = {
  awaiting_review: 'yellow',
  approved: 'green',
  rejected: 'red',
};

export function statusTag(status: string): { text: string; colour: string } {
  return { text: PHASE_TEXT[status] ?? humanise(status), colour: STATUS_COLOUR[status] ?? 'blue' };
}

export function reviewTag(review: string): { text: string; colour: string } {
  return { text: REVIEW_TEXT[review] ?? humanise(review), colour: REVIEW_COLOUR[review] ?? 'grey' };
}

/** `2025-03-04T14:05:00Z` → "4 March 2025 at 2:05pm" in UK time. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: 'numeric',
    minute: '2-digit',
    hour12: true,
  }).formatToParts(d);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  const date = longDate(`${get('year')}-${get('month')}-${get('day')}`);
  return `${date} at ${get('hour')}:${get('minute')}${get('dayPeriod').toLowerCase()}`;
}

const PII_NAMES: Record<string, string> = {
  NHS_NUMBER: 'NHS numbers',
  EMAIL: 'email addresses',
  PHONE: 'phone numbers',
  NI_NUMBER: 'National Insurance numbers',
  POSTCODE: 'full postcodes',
  DATE_OF_BIRTH: 'dates of birth',
  NAME: 'names',
  ADDRESS: 'addresses',
};

/** Why rows were not kept, and warnings about values left out, as the uploader would say it. */
const NOTE_WORDS: Record<string, string> = {
  empty_comment: 'Rows rejected: the comment was empty',
  missing_text: 'Rows rejected: no comment in the row',
  text_too_long: 'Rows rejected: the comment was too long',
  invalid_date: 'Rows rejected: the date could not be read',
  ambiguous_date: 'Rows rejected: the date could be read two ways',
  processing_failed: 'Rows that could not be processed',
  'warning:invalid_date': 'Dates that could not be read (comment kept without a date)',
  'warning:ambiguous_date': 'Dates that could be read two ways (comment kept without a date)',
  'flagged:safeguarding': 'Comments flagged for a safeguarding review',
};

/** One processing note's code in words: `redacted:NAME` → "Personal details removed: names". */
export function noteText(code: string): string {
  const known = NOTE_WORDS[code];
  if (known) return known;
  const [kind, value = ''] = code.split(/:(.*)/s, 2);
  switch (kind) {
    case 'redacted':
      return `Personal details removed: ${PII_NAMES[value] ?? label(value.toLowerCase()).toLowerCase()}`;
    case 'unrecognised':
      return `${label(value)} answers not recognised (counted as not known)`;
    case 'language':
      return `Comments in ${languageName(value)}`;
    case 'warning':
      return `Warning: ${label(value).toLowerCase()}`;
    default:
      return value ? `${label(kind)}: ${label(value).toLowerCase()}` : label(kind);
  }
}

/** Processing notes as rows: rejection reasons, warnings and counters, with the most first. */
export function processingNotes(
  summary: Record<string, unknown>,
): Array<{ what: string; n: number }> {
  return Object.entries(summary)
    .filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] > 0)
    .map(([k, n]) => ({ what: noteText(k), n }))
    .sort((a, b) => b.n - a.n || a.what.localeCompare(b.what));
}

/** Demographic answers not placed, per field in words, for the batch page. */
export interface UnplacedPageView {
  field: string;
  /** The field's name in a value map, e.g. `religion`. */
  key: string;
  values: Array<{ value: string; count: number }>;
}

export function unplacedPageView(u: BatchView['unplacedValues']): UnplacedPageView[] {
  return Object.entries(u ?? {})
    .filter(([, values]) => values.length > 0)
    .map(([key, values]) => ({
      field: FIELD_WORDS[key as keyof typeof FIELD_WORDS] ?? label(key),
      key,
      values,
    }))
    .sort((a, b) => a.field.localeCompare(b.field));
}

/** How the file's columns were read, for the batch page (null before the file is parsed). */
export interface MappingPageView {
  mapped: Array<{ column: string; field: string }>;
  unmapped: string[];
  missing: string[];
}

export function mappingPageView(m: MappingSummary | null): MappingPageView | null {
  if (!m) return null;
  return {
    mapped: m.mapped.map((c) => ({ column: c.column, field: FIELD_WORDS[c.field] ?? c.field })),
    unmapped: m.unmapped,
    missing: m.missing.map((f) => {
      const effect = MISSING_FIELD_EFFECT[f] ?? '';
      return effect.charAt(0).toUpperCase() + effect.slice(1);
    }),
  };
}

export interface BatchPageView {
  id: string;
  title: string;
  organisation: string;
  status: string;
  terminal: boolean;
  phase: string;
  percent: number;
  statusTag: { text: string; colour: string };
  reviewStatus: string;
  reviewTag: { text: string; colour: string };
  reviewReason: string | null;
  counts: BatchView['counts'];
  notes: Array<{ what: string; n: number }>;
  mapping: MappingPageView | null;
  unplaced: UnplacedPageView[];
  errorMessage: string | null;
  about: Array<{ key: { text: string }; value: { text: string } }>;
}

/** A batch as its page shows it. */
export function batchPageView(b: BatchView): BatchPageView {
  const [from, to] = [longDate(b.collectedFrom), longDate(b.collectedTo)];
  const collected =
    from && to ? `${from} to ${to}` : from ? `From ${from}` : to ? `Until ${to}` : 'Not given';
  return {
    id: b.id,
    title: b.title,
    organisation: b.organisation.name ?? b.organisation.code ?? 'Unknown organisation',
    status: b.status,
    terminal: TERMINAL.includes(b.status),
    phase: PHASE_TEXT[b.status] ?? humanise(b.status),
    percent: b.progress.percent,
    statusTag: statusTag(b.status),
    reviewStatus: b.reviewStatus,
    reviewTag: reviewTag(b.reviewStatus),
    reviewReason: b.reviewReason,
    counts: b.counts,
    notes: processingNotes(b.errorSummary),
    mapping: mappingPageView(b.mapping),
    unplaced: unplacedPageView(b.unplacedValues),
    errorMessage: b.errorMessage,
    about: [
      ['Organisation', b.organisation.name ?? b.organisation.code ?? 'Unknown organisation'],
      ['Source type', label(b.sourceType)],
      ['File', `${b.fileName} (${b.fileSize.toLocaleString('en-GB')} bytes)`],
      ['Uploaded', dateTime(b.timings.createdAt)],
      ['How it was collected', b.collectionMethod ?? 'Not given'],
      ['Collected', collected],
      ['Sharing level', label(b.sharingLevel)],
      ['Delete after', longDate(b.retentionUntil) || 'Not set'],
      ['File layout', b.profile ? label(b.profile.replace(/-/g, '_')) : 'Not worked out yet'],
    ].map(([k, v]) => ({ key: { text: k }, value: { text: v } })),
  };
}
