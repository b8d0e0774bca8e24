/**
 * UK postcode format rules. These are national (Royal Mail) facts, not facts about any one
 * care system, so they live in code rather than in the place data.
 */

// Every geographic and special postcode area in use; rejecting unknown areas removes most
// false matches of the general pattern in free text (e.g. "M2 1ST" is valid, "XY1 2AB" is not).
const POSTCODE_AREAS = new Set(
  (
    'AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY ' +
    'E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE ' +
    'LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM ' +
    'SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE'
  ).split(' '),
);

const OUTWARD = /^([A-Z]{1,2})(\d)([A-Z\d]?)$/;
const INWARD = /^\d[ABD-HJLNP-UW-Z]{2}$/;

/** True when `outward` is a well-formed postcode district such as "ME10", "CT9" or "EC1A". */
export function isPostcodeDistrict(outward: string): boolean {
  const m = OUTWARD.exec(outward);
  if (!m) return false;
  const [, area, , tail] = m;
  if (!POSTCODE_AREAS.has(area)) return false;
  // A trailing letter (EC1A, W1D, SW1A) only occurs after a single digit in central London areas.
  if (tail !== '' && /[A-Z]/.test(tail)) return /^(?:EC|WC|E|N|NW|SE|SW|W)$/.test(area);
  return true;
}

/** "me10 4dd" -> "ME10 4DD"; undefined when the text is not a full, well-formed postcode. */
export function normalisePostcode(s: string): string | undefined {
  const compact = s.replace(/\s+/g, '').toUpperCase();
  if (compact === 'GIR0AA') return 'GIR 0AA';
  if (compact.length < 5 || compact.length > 7) return undefined;
  const outward = compact.slice(0, -3);
  const inward = compact.slice(-3);
  if (!INWARD.test(inward) || !isPostcodeDistrict(outward)) return undefined;
  return `${outward} ${inward}`;
}

/**
 * The outward code of a full postcode ("ME10 4DD" -> "ME10"), or of a bare district ("ct9" -> "CT9").
 */
export function postcodeDistrictOf(pc: string): string | undefined {
  const full = normalisePostcode(pc);
  if (full) return full.slice(0, full.indexOf(' '));
  const outward = pc.trim().toUpperCase();
  return isPostcodeDistrict(outward) ? outward : undefined;
}
