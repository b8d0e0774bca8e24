import { createReadStream, existsSync } from 'fs';
import { join, resolve } from 'path';
import { Readable } from 'stream';
import {
  inMemoryPlaceLookups,
  parsePostcodeLookupCsv,
  parsePracticeCsv,
  PostcodeLadRow,
  PracticeRow,
} from './lookup-parsers';
import { buildPlaceHierarchy, loadPlaceHierarchy, PlaceHierarchyError } from './place-hierarchy';
import { PlaceLookups, PlaceResolver } from './place-resolver';
import { normalisePostcode, postcodeDistrictOf } from './postcode';

const GEOGRAPHY = resolve(__dirname, '../../..', '../shared/data/geography');
const POSTCODES_CSV = join(GEOGRAPHY, 'postcode_to_lad.csv');
const PRACTICES_CSV = join(GEOGRAPHY, 'gp_practices_epraccur_2023-12.csv');
const OUTCODES_CSV = join(GEOGRAPHY, 'outcode_to_lad_summary.csv');
const HCP_CSV = join(GEOGRAPHY, 'hcp_areas.csv');
const haveData = [POSTCODES_CSV, PRACTICES_CSV, OUTCODES_CSV, HCP_CSV].every(existsSync);
if (!haveData) {
  console.warn(
    `Shared geography files not found under ${GEOGRAPHY}: reference-data checks skipped.`,
  );
}
const withData = haveData ? describe : describe.skip;

const hierarchy = loadPlaceHierarchy();
const DGS = 'Dartford, Gravesham and Swanley';

async function collect<T>(gen: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

async function readCsv(file: string): Promise<Record<string, string>[]> {
  const text = await new Promise<string>((ok, fail) => {
    let s = '';
    createReadStream(file, 'utf8')
      .on('data', (c) => (s += String(c)))
      .on('end', () => ok(s))
      .on('error', fail);
  });
  const [head, ...lines] = text.trim().split(/\r?\n/);
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

/** A sentence naming a town in each district, as people write them. */
const TOWN_SENTENCES: Record<string, string> = {
  E07000107: 'The walk-in centre in Swanscombe has shut.',
  E07000109: 'Gravesend needs more dentists.',
  E07000111: 'We live near Edenbridge and the bus is hopeless.',
  E07000110: 'Headcorn surgery is brilliant.',
  E07000115: 'Appointments in West Malling are easier to get.',
  E07000116: 'Paddock Wood has lost its pharmacy.',
  E06000035: 'I was seen at Chatham and then sent to Rochester.',
  E07000113: 'Parking in Sittingbourne is a nightmare.',
  E07000105: 'Tenterden is too far from the hospital.',
  E07000106: 'Whitstable needs a minor injuries unit.',
  E07000108: 'The GP in Deal was very good.',
  E07000112: 'Folkestone has great community nurses.',
  E07000114: 'Services in Margate are stretched.',
};

describe('place hierarchy data', () => {
  it('lists 13 districts across four partnership areas', () => {
    expect(hierarchy.districts.size).toBe(13);
    expect(new Set([...hierarchy.districts.values()].map((d) => d.hcpArea))).toEqual(
      new Set([DGS, 'West Kent', 'Medway and Swale', 'East Kent']),
    );
    expect(hierarchy.places.length).toBeGreaterThanOrEqual(60);
  });

  it('reports every problem in a bad document at once', () => {
    const attempt = () =>
      buildPlaceHierarchy({
        name: 'Test',
        hcpAreas: ['North'],
        districts: [{ code: 'E07000999', name: 'Here', hcpArea: 'South' }],
        postcodeDistricts: { ZZ99: 'E07000999', ME10: 'E07000001' },
        places: [{ name: 'Town', ladCode: 'E07000002' }],
      });
    expect(attempt).toThrow(PlaceHierarchyError);
    expect(attempt).toThrow(/hcpArea "South" is not in hcpAreas/);
    expect(attempt).toThrow(/"ZZ99" is not a postcode district/);
    expect(attempt).toThrow(/postcodeDistricts\.ME10 refers to unknown district "E07000001"/);
    expect(attempt).toThrow(/places\[0\] \(Town\)\.ladCode refers to unknown district/);
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadPlaceHierarchy('no-such-places.json')).toThrow(/no-such-places\.json/);
  });
});

describe('postcodes', () => {
  it.each([
    ['me10 4dd', 'ME10 4DD'],
    ['ME104DD', 'ME10 4DD'],
    [' ct9  1xy ', 'CT9 1XY'],
    ['EC1A 1BB', 'EC1A 1BB'],
    ['ME10', undefined],
    ['XY1 2AB', undefined],
    ['ME10 4CD', undefined],
    ['ME1A 1AA', undefined],
  ])('normalisePostcode(%j) = %j', (input, expected) => {
    expect(normalisePostcode(input)).toBe(expected);
  });

  it.each([
    ['ME10 4DD', 'ME10'],
    ['ct9', 'CT9'],
    ['not a postcode', undefined],
  ])('postcodeDistrictOf(%j) = %j', (input, expected) => {
    expect(postcodeDistrictOf(input)).toBe(expected);
  });
});

describe('PlaceResolver without lookups', () => {
  const resolver = new PlaceResolver(hierarchy);

  it('applies the Swanley exception from a postcode or a postcode district', () => {
    expect(resolver.resolve({ postcode: 'BR8 7AA' })).toEqual({
      postcodeDistrict: 'BR8',
      ladCode: 'E07000111',
      ladName: 'Sevenoaks',
      hcpArea: DGS,
      resolvedBy: 'postcode',
    });
    expect(resolver.resolve({ postcodeDistrict: 'TN13' }).hcpArea).toBe('West Kent');
    expect(resolver.resolve({ text: 'Swanley clinic was fine' }).hcpArea).toBe(DGS);
  });

  it.each([
    [{ district: 'Tonbridge & Malling Borough Council' }, 'E07000115', 'district'],
    [{ district: 'e06000035' }, 'E06000035', 'district'],
    [{ district: 'Shepway' }, 'E07000112', 'district'],
    [{ service: 'MARGATE HEALTH CENTRE' }, 'E07000114', 'service'],
    [{ location: 'Darent Valley Hospital' }, 'E07000107', 'service'],
    [{ text: 'Nothing open in CT9 at weekends.' }, 'E07000114', 'text'],
    [{ textPostcodeDistricts: ['ME10'], text: 'at [POSTCODE]' }, 'E07000113', 'text'],
    [{ text: 'Moved from Herne Bay last year.' }, 'E07000106', 'text'],
    [{ text: 'The GP in Deal was very good.' }, 'E07000108', 'text'],
    [{ text: 'Deal hospital is a lifeline.' }, 'E07000108', 'text'],
    [{ text: 'Royal Tunbridge Wells hospital' }, 'E07000116', 'text'],
    [{ text: 'Ashford (Kent) is our nearest' }, 'E07000105', 'text'],
    [{ text: 'Swanley' }, 'E07000111', 'text'],
  ])('%j resolves to %s by %s', (input, lad, by) => {
    const r = resolver.resolve(input);
    expect(r.ladCode).toBe(lad);
    expect(r.resolvedBy).toBe(by);
  });

  it.each([
    'It was a good deal better than last time.',
    'Deal with the backlog first.',
    'I had a sandwich from the Sandwich bar in London.',
    'We used to live in Ashford, Surrey.',
    'The surgery on Maidstone Road in Chatham.',
    'margate is lower case here',
    'We went past Charing Cross on the train.',
    'Services in BR6 are run by Bromley.',
  ])('does not take a place from %j when the words do not mean one here', (text) => {
    const r = resolver.resolve({ text });
    // "Maidstone Road in Chatham" must still find Chatham, never Maidstone.
    if (text.includes('Chatham')) expect(r.ladName).toBe('Medway');
    else expect(r.ladCode).toBeUndefined();
  });

  it('prefers the most precise evidence and never returns a full postcode', () => {
    const r = resolver.resolve({
      postcode: 'CT9 1XY',
      district: 'Medway',
      text: 'I live in Deal',
    });
    expect(r).toMatchObject({ postcodeDistrict: 'CT9', ladName: 'Thanet', resolvedBy: 'postcode' });
    expect(JSON.stringify(r)).not.toContain('1XY');
  });

  it('keeps the postcode district of a border area but needs more evidence for the district', () => {
    expect(resolver.resolve({ postcode: 'BR6 7NZ' })).toEqual({
      postcodeDistrict: 'BR6',
      resolvedBy: 'none',
    });
    expect(resolver.resolve({ postcode: 'BR6 7NZ', district: 'Sevenoaks' })).toMatchObject({
      postcodeDistrict: 'BR6',
      ladName: 'Sevenoaks',
      resolvedBy: 'district',
    });
  });

  it('records the GP practice code even when it cannot place it', () => {
    expect(resolver.resolve({ practiceCode: ' g82002 ' })).toEqual({
      gpPractice: 'G82002',
      resolvedBy: 'none',
    });
  });
});

describe('lookup file parsers', () => {
  const stream = (s: string) => Readable.from([s]);

  it('reads OS Code-Point Open rows (no header)', async () => {
    const rows = await collect(
      parsePostcodeLookupCsv(
        stream(
          '"ME10 4DD",10,590000,164000,"E92000001","E19000002","E18000008","E10000016","E07000113","E05005085"\n' +
            '"ME1  1AA",10,574000,168000,"E92000001","","","","E06000035","E05002340"\n',
        ),
      ),
    );
    expect(rows).toEqual([
      { postcode: 'ME10 4DD', ladCode: 'E07000113' },
      { postcode: 'ME1 1AA', ladCode: 'E06000035' },
    ]);
  });

  it('reads the ONS Postcode Directory by column name and skips rows without a district', async () => {
    const rows = await collect(
      parsePostcodeLookupCsv(
        stream(
          'pcd,pcd2,pcds,dointr,doterm,oslaua\n"CT9 1XY","CT9  1XY","CT9 1XY",198001,,E07000114\n"ZZ1 1ZZ","","ZZ1 1ZZ",1,,\n',
        ),
      ),
    );
    expect(rows).toEqual([{ postcode: 'CT9 1XY', ladCode: 'E07000114' }]);
  });

  it('names the missing column of an unknown header', async () => {
    await expect(collect(parsePostcodeLookupCsv(stream('post,town\nx,y\n')))).rejects.toThrow(
      /no postcode \(pcds\/pcd\/postcode\) or district/,
    );
  });

  it('reads NHS ODS epraccur rows without a header', async () => {
    const cells = Array<string>(27).fill('');
    Object.assign(cells, { 0: 'G82002', 1: "ST JAMES' SURGERY", 9: 'CT16 1SF', 12: 'A', 25: '4' });
    const rows = await collect(
      parsePracticeCsv(stream(cells.map((c) => `"${c}"`).join(',') + '\n')),
    );
    expect(rows).toEqual([
      {
        code: 'G82002',
        name: "ST JAMES' SURGERY",
        postcode: 'CT16 1SF',
        active: true,
        gpPractice: true,
      },
    ]);
  });
});

withData('resolution against the shared reference files', () => {
  let postcodes: PostcodeLadRow[] = [];
  let practices: PracticeRow[] = [];
  let lookups: PlaceLookups;

  beforeAll(async () => {
    postcodes = await collect(parsePostcodeLookupCsv(createReadStream(POSTCODES_CSV)));
    practices = await collect(parsePracticeCsv(createReadStream(PRACTICES_CSV)));
    lookups = inMemoryPlaceLookups(postcodes, practices, hierarchy);
  });

  it('parses every postcode and every practice', () => {
    expect(postcodes.length).toBe(50064);
    expect(practices.length).toBe(426);
    expect(practices.filter((p) => p.active && p.gpPractice).length).toBe(182);
  });

  it('maps each postcode district to the district that holds most of it', async () => {
    const summary = await readCsv(OUTCODES_CSV);
    expect(summary.length).toBeGreaterThan(70);
    for (const row of summary) {
      const n = Number(row.n_postcodes_in_outcode);
      const main = Number(row.share_of_outcode_postcodes) * n;
      const outside = Number(/outside_K&M:(\d+)/.exec(row.other_lads)?.[1] ?? 0);
      const mapped = hierarchy.postcodeDistricts.get(row.outcode);
      const border = hierarchy.borderPostcodeDistricts.get(row.outcode);
      if (main >= outside) expect([row.outcode, mapped]).toEqual([row.outcode, row.main_lad_code]);
      else expect([row.outcode, border]).toEqual([row.outcode, row.main_lad_code]);
    }
    const listed = new Set(summary.map((r) => r.outcode));
    for (const outcode of [
      ...hierarchy.postcodeDistricts.keys(),
      ...hierarchy.borderPostcodeDistricts.keys(),
    ]) {
      expect(listed.has(outcode) ? outcode : `${outcode} (not in summary)`).toBe(outcode);
    }
  });

  it('gives each district the partnership area of the published table', async () => {
    const table = await readCsv(HCP_CSV);
    expect(table.length).toBe(13);
    const plain = (s: string) => s.replace(/,/g, '');
    for (const row of table) {
      const d = hierarchy.districts.get(row.lad_code);
      expect([row.lad_name, d && plain(d.hcpArea)]).toEqual([row.lad_name, plain(row.hcp_area)]);
    }
  });

  const cases = [...Object.keys(TOWN_SENTENCES), 'SWANLEY'];

  it.each(cases)('resolves %s from a postcode, its district, a town and a practice', (key) => {
    const swanley = key === 'SWANLEY';
    const lad = swanley ? 'E07000111' : key;
    const expectedArea = swanley ? DGS : hierarchy.districts.get(lad)?.hcpArea;
    const inBr8 = (pc: string) => pc.startsWith('BR8 ');
    const pick = postcodes.find(
      (r) =>
        r.ladCode === lad &&
        hierarchy.postcodeDistricts.get(r.postcode.split(' ')[0]) === lad &&
        inBr8(r.postcode) === swanley,
    );
    const practice = practices.find((p) => {
      if (!p.active || !p.gpPractice || !p.postcode) return false;
      return lookups.postcodeToLad(p.postcode) === lad && inBr8(p.postcode) === swanley;
    });
    expect(pick).toBeDefined();
    expect(practice).toBeDefined();
    if (!pick || !practice) return;
    const outcode = pick.postcode.split(' ')[0];

    const withLookups = new PlaceResolver(hierarchy, lookups);
    const bare = new PlaceResolver(hierarchy);
    const results = [
      withLookups.resolve({ postcode: pick.postcode.toLowerCase() }),
      bare.resolve({ postcode: pick.postcode }),
      bare.resolve({ postcodeDistrict: outcode }),
      bare.resolve({ text: swanley ? 'Swanley needs a bigger surgery.' : TOWN_SENTENCES[key] }),
      withLookups.resolve({ practiceCode: practice.code }),
    ];
    expect(results.map((r) => r.resolvedBy)).toEqual([
      'postcode',
      'postcode',
      'postcode_district',
      'text',
      'practice',
    ]);
    for (const r of results) {
      expect(r).toMatchObject({ ladCode: lad, hcpArea: expectedArea });
      expect(JSON.stringify(r)).not.toContain(pick.postcode.split(' ')[1]);
    }
  });
});
