import { existsSync, readFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { isPostcodeDistrict } from './postcode';

/** A town, village or landmark that people name, and the district it lies in. */
export interface NamedPlace {
  name: string;
  ladCode: string;
  /** Overrides the district's partnership area (Swanley lies in Sevenoaks but is served by DGS). */
  hcpArea?: string;
  /** Also an ordinary word ("Deal", "Sandwich"): only taken where the wording says it is a place. */
  commonWord?: boolean;
  /** Words that, right after the name, mean a different place ("Ashford, Surrey"). */
  notFollowedBy?: string[];
}

export interface District {
  code: string;
  name: string;
  hcpArea: string;
  aliases?: string[];
}

export interface HcpException {
  ladCode: string;
  postcodeDistricts: string[];
  hcpArea: string;
  reason?: string;
}

/** The JSON document, as written by whoever maintains a care system's place data. */
export interface PlaceHierarchyFile {
  name: string;
  description?: string;
  sources?: string;
  hcpAreas: string[];
  districts: District[];
  hcpExceptions?: HcpException[];
  /** Postcode district -> the district holding most of its postcodes. */
  postcodeDistricts: Record<string, string>;
  /** Postcode districts mostly outside the area: a full postcode is needed to place them. */
  borderPostcodeDistricts?: Record<string, string>;
  places: NamedPlace[];
}

export interface PlaceHierarchy {
  name: string;
  hcpAreas: readonly string[];
  districts: ReadonlyMap<string, District>;
  hcpExceptions: readonly HcpException[];
  postcodeDistricts: ReadonlyMap<string, string>;
  borderPostcodeDistricts: ReadonlyMap<string, string>;
  places: readonly NamedPlace[];
}

export class PlaceHierarchyError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`invalid place hierarchy ${file}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'PlaceHierarchyError';
  }
}

const DEFAULT_FILE = join('data', 'places', 'kent-and-medway.json');
const LAD_CODE = /^[EWSN]\d{8}$/;

/** Finds the project's data folder whether running from source or from the compiled output. */
function defaultFile(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, DEFAULT_FILE);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new PlaceHierarchyError(DEFAULT_FILE, ['file not found above ' + __dirname]);
}

export function loadPlaceHierarchy(file?: string): PlaceHierarchy {
  const path = file === undefined ? defaultFile() : resolve(file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new PlaceHierarchyError(path, [`cannot read JSON: ${(err as Error).message}`]);
  }
  return buildPlaceHierarchy(parsed, path);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Validates a parsed document and indexes it; every problem is reported, not just the first. */
export function buildPlaceHierarchy(doc: unknown, source = 'place hierarchy'): PlaceHierarchy {
  const problems: string[] = [];
  if (!isRecord(doc)) throw new PlaceHierarchyError(source, ['top level must be an object']);

  if (!isString(doc.name)) problems.push('"name" must be a non-empty string');
  const hcpAreas = Array.isArray(doc.hcpAreas) ? doc.hcpAreas.filter(isString) : [];
  if (hcpAreas.length === 0) problems.push('"hcpAreas" must list at least one area name');
  const areaSet = new Set(hcpAreas);

  const districts = new Map<string, District>();
  if (!Array.isArray(doc.districts) || doc.districts.length === 0) {
    problems.push('"districts" must be a non-empty array');
  } else {
    doc.districts.forEach((d: unknown, i) => {
      const at = `districts[${i}]`;
      if (!isRecord(d) || !isString(d.code) || !isString(d.name) || !isString(d.hcpArea)) {
        problems.push(`${at} needs string "code", "name" and "hcpArea"`);
        return;
      }
      if (!LAD_CODE.test(d.code))
        problems.push(`${at}.code "${d.code}" is not a GSS district code`);
      if (!areaSet.has(d.hcpArea)) problems.push(`${at}.hcpArea "${d.hcpArea}" is not in hcpAreas`);
      if (districts.has(d.code)) problems.push(`${at}.code "${d.code}" is listed twice`);
      const aliases = Array.isArray(d.aliases) ? d.aliases.filter(isString) : undefined;
      districts.set(d.code, { code: d.code, name: d.name, hcpArea: d.hcpArea, aliases });
    });
  }

  const knownLad = (code: unknown, at: string): code is string => {
    if (isString(code) && districts.has(code)) return true;
    problems.push(`${at} refers to unknown district ${JSON.stringify(code)}`);
    return false;
  };

  const outcodeMap = (value: unknown, key: string, required: boolean): Map<string, string> => {
    const map = new Map<string, string>();
    if (value === undefined && !required) return map;
    if (!isRecord(value)) {
      problems.push(`"${key}" must be an object of postcode district -> district code`);
      return map;
    }
    for (const [outcode, lad] of Object.entries(value)) {
      if (!isPostcodeDistrict(outcode))
        problems.push(`${key}: "${outcode}" is not a postcode district`);
      else if (knownLad(lad, `${key}.${outcode}`)) map.set(outcode, lad);
    }
    return map;
  };
  const postcodeDistricts = outcodeMap(doc.postcodeDistricts, 'postcodeDistricts', true);
  const borderPostcodeDistricts = outcodeMap(
    doc.borderPostcodeDistricts,
    'borderPostcodeDistricts',
    false,
  );
  for (const outcode of borderPostcodeDistricts.keys()) {
    if (postcodeDistricts.has(outcode)) {
      problems.push(
        `postcode district ${outcode} is in both postcodeDistricts and borderPostcodeDistricts`,
      );
    }
  }

  const hcpExceptions: HcpException[] = [];
  if (doc.hcpExceptions !== undefined) {
    if (!Array.isArray(doc.hcpExceptions)) problems.push('"hcpExceptions" must be an array');
    else
      doc.hcpExceptions.forEach((e: unknown, i) => {
        const at = `hcpExceptions[${i}]`;
        if (!isRecord(e) || !Array.isArray(e.postcodeDistricts) || !isString(e.hcpArea)) {
          problems.push(`${at} needs "ladCode", "postcodeDistricts" and "hcpArea"`);
          return;
        }
        if (!knownLad(e.ladCode, `${at}.ladCode`)) return;
        if (!areaSet.has(e.hcpArea))
          problems.push(`${at}.hcpArea "${e.hcpArea}" is not in hcpAreas`);
        const outcodes = e.postcodeDistricts.filter(isString);
        hcpExceptions.push({ ladCode: e.ladCode, postcodeDistricts: outcodes, hcpArea: e.hcpArea });
      });
  }

  const places: NamedPlace[] = [];
  if (!Array.isArray(doc.places)) problems.push('"places" must be an array');
  else
    doc.places.forEach((p: unknown, i) => {
      const at = `places[${i}]`;
      if (!isRecord(p) || !isString(p.name)) {
        problems.push(`${at} needs a string "name"`);
        return;
      }
      if (!knownLad(p.ladCode, `${at} (${p.name}).ladCode`)) return;
      if (p.hcpArea !== undefined && !(isString(p.hcpArea) && areaSet.has(p.hcpArea))) {
        problems.push(`${at} (${p.name}).hcpArea is not in hcpAreas`);
      }
      places.push({
        name: p.name,
        ladCode: p.ladCode,
        hcpArea: isString(p.hcpArea) ? p.hcpArea : undefined,
        commonWord: p.commonWord === true,
        notFollowedBy: Array.isArray(p.notFollowedBy)
          ? p.notFollowedBy.filter(isString)
          : undefined,
      });
    });

  if (problems.length > 0) throw new PlaceHierarchyError(source, problems);
  return {
    name: doc.name as string,
    hcpAreas,
    districts,
    hcpExceptions,
    postcodeDistricts,
    borderPostcodeDistricts,
    places,
  };
}
