import { NamedPlace, PlaceHierarchy } from './place-hierarchy';
import { normalisePostcode, postcodeDistrictOf } from './postcode';

export interface PlaceInput {
  postcode?: string;
  postcodeDistrict?: string;
  district?: string;
  practiceCode?: string;
  service?: string;
  location?: string;
  /** Postcode districts of full postcodes the redactor removed from the comment. */
  textPostcodeDistricts?: string[];
  /** The comment, after redaction. */
  text?: string;
}

export type PlaceSource =
  'postcode' | 'postcode_district' | 'district' | 'practice' | 'service' | 'text' | 'none';

/** Never carries a full postcode: only its district. */
export interface PlaceResult {
  postcodeDistrict?: string;
  ladCode?: string;
  ladName?: string;
  hcpArea?: string;
  gpPractice?: string;
  resolvedBy: PlaceSource;
}

/** Optional large reference tables, loaded by the operator from ONS / OS / NHS ODS downloads. */
export interface PlaceLookups {
  postcodeToLad(pc: string): string | undefined;
  practiceToLad(ods: string): { ladCode: string; postcodeDistrict?: string } | undefined;
}

interface Match {
  ladCode: string;
  hcpArea?: string;
  postcodeDistrict?: string;
}

const ODS_CODE = /^[A-Z0-9]{3,8}$/;
const OUTCODE_IN_TEXT = /\b[A-Z]{1,2}\d[A-Z\d]?\b/g;
const WORD_START = /(?<![\p{L}\p{N}])\p{L}/gu;
const FIRST_WORD = /^\p{L}+/u;
const STREET_AFTER =
  /^\s+(?:road|rd|street|st|lane|avenue|ave|way|close|drive|hill|crescent|gardens|grove|terrace|parade)\b/i;
const PLACE_BEFORE =
  /(?:\b(?:in|at|to|from|near|around|of|outside|into|between|and|nr|towards|visiting|via)|,)\s+$/i;
const PLACE_AFTER =
  /^\s+(?:hospital|surgery|clinic|practice|health|medical|pharmacy|area|town|library|station|beach|seafront|community|residents|memorial|high street|centre|gp)\b/i;

/** Normalises district names so "Tonbridge & Malling Borough Council" finds Tonbridge and Malling. */
function districtKey(s: string): string {
  return s
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\b(?:borough|district|city|county)?\s*council\b|\bborough\b|\bdistrict\b/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Resolves where a comment is about, from the most precise evidence available down to places
 * named in the text. The order is fixed: postcode, postcode district, district, GP practice,
 * service or location name, then the comment itself.
 */
export class PlaceResolver {
  private readonly districtsByKey = new Map<string, string>();
  /** First word (lower case) -> places starting with it, longest name first. */
  private readonly placesByFirstWord = new Map<
    string,
    Array<{ place: NamedPlace; lower: string }>
  >();

  constructor(
    private readonly hierarchy: PlaceHierarchy,
    private readonly lookups: Partial<PlaceLookups> = {},
  ) {
    const named: NamedPlace[] = [];
    for (const d of hierarchy.districts.values()) {
      this.districtsByKey.set(d.code.toLowerCase(), d.code);
      for (const name of [d.name, ...(d.aliases ?? [])]) {
        this.districtsByKey.set(districtKey(name), d.code);
        named.push({ name, ladCode: d.code });
      }
    }
    // Places listed explicitly take precedence over a district of the same name.
    const byName = new Map<string, NamedPlace>();
    for (const p of [...named, ...hierarchy.places]) byName.set(p.name.toLowerCase(), p);
    for (const p of byName.values()) {
      const first = FIRST_WORD.exec(p.name.toLowerCase())?.[0] ?? p.name.toLowerCase();
      const list = this.placesByFirstWord.get(first) ?? [];
      list.push({ place: p, lower: p.name.toLowerCase() });
      this.placesByFirstWord.set(first, list);
    }
    for (const list of this.placesByFirstWord.values()) {
      list.sort((a, b) => b.lower.length - a.lower.length);
    }
  }

  resolve(input: PlaceInput): PlaceResult {
    let postcodeDistrict: string | undefined;
    let gpPractice: string | undefined;
    let match: Match | undefined;
    let resolvedBy: PlaceSource = 'none';

    if (input.practiceCode) {
      const code = input.practiceCode.trim().toUpperCase();
      if (ODS_CODE.test(code)) gpPractice = code;
    }

    if (input.postcode) {
      const full = normalisePostcode(input.postcode);
      postcodeDistrict = postcodeDistrictOf(input.postcode);
      if (full && postcodeDistrict) {
        const lad = this.lookups.postcodeToLad?.(full);
        match = this.known(lad, undefined, postcodeDistrict) ?? this.byOutcode(postcodeDistrict);
        if (match) resolvedBy = 'postcode';
      } else if (postcodeDistrict) {
        match = this.byOutcode(postcodeDistrict);
        if (match) resolvedBy = 'postcode_district';
      }
    }
    if (!match && input.postcodeDistrict) {
      const pd = postcodeDistrictOf(input.postcodeDistrict);
      if (pd) {
        postcodeDistrict ??= pd;
        match = this.byOutcode(pd);
        if (match) resolvedBy = 'postcode_district';
      }
    }
    if (!match && input.district) {
      const code = this.districtsByKey.get(districtKey(input.district));
      match = this.known(code, undefined, postcodeDistrict);
      if (match) resolvedBy = 'district';
    }
    if (!match && gpPractice) {
      const practice = this.lookups.practiceToLad?.(gpPractice);
      match = this.known(practice?.ladCode, undefined, practice?.postcodeDistrict);
      if (match) resolvedBy = 'practice';
    }
    if (!match) {
      for (const field of [input.service, input.location]) {
        if (field) match = this.findPlace(field, false);
        if (match) {
          resolvedBy = 'service';
          break;
        }
      }
    }
    if (!match && (input.textPostcodeDistricts?.length || input.text)) {
      match = this.fromText(input.textPostcodeDistricts ?? [], input.text ?? '');
      if (match) {
        resolvedBy = 'text';
        postcodeDistrict ??= match.postcodeDistrict;
      }
    }

    const result: PlaceResult = { resolvedBy };
    if (postcodeDistrict) result.postcodeDistrict = postcodeDistrict;
    if (gpPractice) result.gpPractice = gpPractice;
    if (match) {
      const district = this.hierarchy.districts.get(match.ladCode);
      result.ladCode = match.ladCode;
      result.ladName = district?.name;
      result.hcpArea =
        match.hcpArea ??
        this.exceptionArea(match.ladCode, match.postcodeDistrict ?? postcodeDistrict) ??
        district?.hcpArea;
    }
    return result;
  }

  private known(lad: string | undefined, hcpArea?: string, outcode?: string): Match | undefined {
    if (lad === undefined || !this.hierarchy.districts.has(lad)) return undefined;
    return { ladCode: lad, hcpArea, postcodeDistrict: outcode };
  }

  /** Border postcode districts (mostly outside the area) are deliberately not resolved here. */
  private byOutcode(outcode: string): Match | undefined {
    return this.known(this.hierarchy.postcodeDistricts.get(outcode), undefined, outcode);
  }

  private exceptionArea(lad: string, outcode: string | undefined): string | undefined {
    if (!outcode) return undefined;
    return this.hierarchy.hcpExceptions.find(
      (e) => e.ladCode === lad && e.postcodeDistricts.includes(outcode),
    )?.hcpArea;
  }

  private fromText(districts: string[], text: string): Match | undefined {
    for (const pd of districts) {
      const m = this.byOutcode(pd);
      if (m) return m;
    }
    if (text === '') return undefined;
    for (const m of text.matchAll(OUTCODE_IN_TEXT)) {
      const found = this.byOutcode(m[0]);
      if (found) return found;
    }
    return this.findPlace(text, true);
  }

  /**
   * Scans word starts and compares only the places beginning with that word, which keeps the
   * cost proportional to the text rather than to the number of places.
   */
  private findPlace(text: string, inProse: boolean): Match | undefined {
    for (const w of text.matchAll(WORD_START)) {
      const start = w.index;
      if (inProse && w[0] === w[0].toLowerCase()) continue;
      const firstWord = FIRST_WORD.exec(text.slice(start, start + 40))?.[0].toLowerCase();
      const candidates = firstWord ? this.placesByFirstWord.get(firstWord) : undefined;
      if (!candidates) continue;
      for (const { place, lower } of candidates) {
        const end = start + lower.length;
        if (text.slice(start, end).toLowerCase() !== lower) continue;
        if (/[\p{L}\p{N}-]/u.test(text[end] ?? '')) continue;
        if (this.accept(place, text, start, end, inProse)) {
          return { ladCode: place.ladCode, hcpArea: place.hcpArea };
        }
      }
    }
    return undefined;
  }

  private accept(
    p: NamedPlace,
    text: string,
    start: number,
    end: number,
    inProse: boolean,
  ): boolean {
    const surface = text.slice(start, end);
    const tail = text.slice(end, end + 40);
    if (inProse && surface !== p.name && surface !== p.name.toUpperCase()) return false;
    if (STREET_AFTER.test(tail)) return false;
    if (p.notFollowedBy?.some((w) => new RegExp(`^[\\s,(]*${escape(w)}\\b`, 'i').test(tail))) {
      return false;
    }
    if (inProse && p.commonWord) {
      return (
        PLACE_BEFORE.test(text.slice(Math.max(0, start - 15), start)) || PLACE_AFTER.test(tail)
      );
    }
    return true;
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
