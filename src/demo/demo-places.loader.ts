import * as fs from 'node:fs';
import * as path from 'node:path';

/** The slice of the shipped place data the generator needs to keep a row's places consistent. */
export interface DemoPlaces {
  /** Postcode districts (outcodes) of the area, e.g. "ME14". */
  outcodes: readonly string[];
  /** Outcode → local authority district code. */
  districtOfOutcode: ReadonlyMap<string, string>;
  /** District code → the names people write for it: the official name first, then aliases. */
  districtNames: ReadonlyMap<string, readonly string[]>;
  /** District code → towns in it, drawn from the given town list. */
  townsByDistrict: ReadonlyMap<string, readonly string[]>;
  /** Every resolved town. */
  towns: readonly string[];
}

interface PlaceFile {
  districts: Array<{ code: string; name: string; aliases?: string[] }>;
  postcodeDistricts: Record<string, string>;
  places: Array<{ name: string; ladCode: string }>;
}

const PLACES_FILE = path.join('data', 'places', 'kent-and-medway.json');

/** The folder holding package.json, whether running from sources or from a compiled build. */
export function findPackageRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Cannot find the folder holding package.json');
    dir = parent;
  }
}

export function defaultPlacesFile(): string {
  return path.join(findPackageRoot(), PLACES_FILE);
}

/**
 * Reads the place file and ties each town to its district. A town the file does not know is an
 * error rather than a silent omission: it would put rows in a district the bank cannot resolve.
 */
export function loadDemoPlaces(towns: readonly string[], file = defaultPlacesFile()): DemoPlaces {
  const doc = parsePlaceFile(fs.readFileSync(file, 'utf8'), file);
  const districtNames = new Map<string, string[]>();
  const districtByName = new Map<string, string>();
  for (const d of doc.districts) {
    districtNames.set(d.code, [d.name, ...(d.aliases ?? [])]);
    districtByName.set(d.name.toLowerCase(), d.code);
  }
  const placeDistrict = new Map<string, string>();
  for (const p of doc.places) placeDistrict.set(p.name.toLowerCase(), p.ladCode);

  const townsByDistrict = new Map<string, string[]>();
  const unknown: string[] = [];
  for (const town of towns) {
    const key = town.toLowerCase();
    const code = placeDistrict.get(key) ?? districtByName.get(key);
    if (!code) {
      unknown.push(town);
      continue;
    }
    const list = townsByDistrict.get(code) ?? [];
    list.push(town);
    townsByDistrict.set(code, list);
  }
  if (unknown.length > 0) {
    throw new Error(`${file}: no district for town(s) ${unknown.join(', ')}`);
  }

  const districtOfOutcode = new Map<string, string>();
  for (const [outcode, code] of Object.entries(doc.postcodeDistricts)) {
    if (!districtNames.has(code)) {
      throw new Error(`${file}: postcode district ${outcode} points at unknown district ${code}`);
    }
    districtOfOutcode.set(outcode, code);
  }
  if (districtOfOutcode.size === 0) throw new Error(`${file}: no postcode districts`);

  return {
    outcodes: [...districtOfOutcode.keys()].sort(),
    districtOfOutcode,
    districtNames,
    townsByDistrict,
    towns: [...towns],
  };
}

function parsePlaceFile(text: string, file: string): PlaceFile {
  const doc = JSON.parse(text) as Partial<PlaceFile> | null;
  if (
    !doc ||
    !Array.isArray(doc.districts) ||
    !Array.isArray(doc.places) ||
    typeof doc.postcodeDistricts !== 'object' ||
    doc.postcodeDistricts === null
  ) {
    throw new Error(`${file}: expected districts, places and postcodeDistricts`);
  }
  return doc as PlaceFile;
}
