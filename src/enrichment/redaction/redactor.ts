import {
  Candidate,
  findAddresses,
  findDatesOfBirth,
  findEmails,
  findNames,
  findNhsNumbers,
  findNiNumbers,
  findPhones,
  findPostcodes,
} from './pii-detectors';
import { PiiEntity, PiiType, RedactionResult } from './redaction.types';
import { findUncuedNames } from './uncued-names';

const HAS_DIGIT = /\d/;

/**
 * Replaces personal identifiers in free text with typed placeholders ("[NHS_NUMBER]", and for
 * names after a title, "Dr [NAME]"). Offsets in `entities` refer to the original text; the
 * matched values are never returned, so the result is safe to log or store.
 */
export function redact(text: string): RedactionResult {
  return redactWith(text, false);
}

/**
 * De-identifies a short field outside the comment: a row reference, a batch's title, file name,
 * collection method or sample description, a reason, a search query. As `redact`, and a bare
 * ten-digit number that passes the NHS check digit counts as an NHS number whatever surrounds it
 * (such fields are too short to carry the wording that tells an NHS number from an order number).
 */
export function redactField(text: string): string {
  return redactWith(text, true).text;
}

/** `redactField` for a file name: the extension stays readable when the name around it is redacted. */
export function redactFileName(name: string): string {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot) : '';
  if (!/^\.[A-Za-z0-9]{1,5}$/.test(ext)) return redactField(name);
  return redactField(name.slice(0, dot)) + ext;
}

function redactWith(text: string, bareNhsNumbers: boolean): RedactionResult {
  const candidates: Candidate[] = [];
  findEmails(text, candidates);
  if (HAS_DIGIT.test(text)) {
    findNhsNumbers(text, candidates, bareNhsNumbers);
    findPhones(text, candidates);
    findNiNumbers(text, candidates);
    findPostcodes(text, candidates);
    findDatesOfBirth(text, candidates);
    findAddresses(text, candidates);
  }
  findNames(text, candidates);
  findUncuedNames(text, candidates);

  if (candidates.length === 0) {
    return { text, entities: [], summary: {}, postcodeDistricts: [], needsReview: false };
  }
  const kept = resolveOverlaps(candidates);

  const summary: Partial<Record<PiiType, number>> = {};
  const districts: string[] = [];
  const entities: PiiEntity[] = [];
  let out = '';
  let cursor = 0;
  let needsReview = false;
  for (const c of kept) {
    out += text.slice(cursor, c.start) + `[${c.type}]`;
    cursor = c.end;
    entities.push({ type: c.type, start: c.start, end: c.end });
    summary[c.type] = (summary[c.type] ?? 0) + 1;
    if (c.postcodeDistrict !== undefined && !districts.includes(c.postcodeDistrict)) {
      districts.push(c.postcodeDistrict);
    }
    if (c.type === 'NAME' || c.type === 'ADDRESS') needsReview = true;
  }
  out += text.slice(cursor);
  return { text: out, entities, summary, postcodeDistricts: districts, needsReview };
}

/** Higher priority wins, then the longer span; the survivors are returned in text order. */
function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  if (candidates.length === 1) return candidates;
  const ranked = [...candidates].sort(
    (a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: Candidate[] = [];
  for (const c of ranked) {
    if (kept.every((k) => c.end <= k.start || c.start >= k.end)) kept.push(c);
  }
  return kept.sort((a, b) => a.start - b.start);
}
