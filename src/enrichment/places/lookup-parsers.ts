import { parse } from 'csv-parse';
import { Readable } from 'stream';
import { normalisePostcode, postcodeDistrictOf } from './postcode';
import { PlaceHierarchy } from './place-hierarchy';
import { PlaceLookups } from './place-resolver';

export type CsvSource = NodeJS.ReadableStream | AsyncIterable<string | Buffer>;

export interface PostcodeLadRow {
  postcode: string;
  ladCode: string;
}

export interface PracticeRow {
  code: string;
  name: string;
  postcode?: string;
  /** ODS status "A". */
  active: boolean;
  /** ODS prescribing setting 4: a GP practice rather than another prescribing organisation. */
  gpPractice: boolean;
}

const LAD_CODE = /^[EWSN]\d{8}$/;

async function* records(source: CsvSource): AsyncGenerator<string[]> {
  const parser = parse({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
  });
  const input =
    source instanceof Readable ? source : Readable.from(source as AsyncIterable<string | Buffer>);
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);
  for await (const record of parser as AsyncIterable<string[]>) yield record;
}

function columnIndex(header: string[], names: Array<string | RegExp>): number {
  const lower = header.map((h) => h.toLowerCase());
  for (const name of names) {
    const i = lower.findIndex((h) => (typeof name === 'string' ? h === name : name.test(h)));
    if (i >= 0) return i;
  }
  return -1;
}

/**
 * Postcode -> district rows from any of the files an operator can download: OS Code-Point Open
 * (no header; district code in the ninth column), the ONS Postcode Directory (pcds/pcd and
 * oslaua or ladNNcd columns) or a plain table with postcode and lad_code columns.
 * Rows without a valid postcode or district code (e.g. terminated or non-geographic) are skipped.
 */
export async function* parsePostcodeLookupCsv(source: CsvSource): AsyncGenerator<PostcodeLadRow> {
  let pcCol = -1;
  let ladCol = -1;
  for await (const row of records(source)) {
    if (pcCol < 0) {
      if (normalisePostcode(row[0] ?? '')) {
        pcCol = 0;
        ladCol = 8;
      } else {
        pcCol = columnIndex(row, ['pcds', 'pcd', 'pcd7', 'pcd8', 'pcd2', 'postcode']);
        ladCol = columnIndex(row, ['oslaua', /^lad\d{2}cd$/, 'laua', 'lad_code', 'ladcd', 'lad']);
        const missing = [
          pcCol < 0 ? 'postcode (pcds/pcd/postcode)' : '',
          ladCol < 0 ? 'district (oslaua/ladNNcd/lad_code)' : '',
        ];
        if (pcCol < 0 || ladCol < 0) {
          throw new Error(
            `postcode lookup: header has no ${missing.filter(Boolean).join(' or ')} column`,
          );
        }
        continue;
      }
    }
    const postcode = normalisePostcode(row[pcCol] ?? '');
    const ladCode = row[ladCol];
    if (postcode && ladCode && LAD_CODE.test(ladCode)) yield { postcode, ladCode };
  }
}

/**
 * NHS ODS epraccur rows. The published file has no header (code in column 1, name 2, postcode
 * 10, status 13, prescribing setting 26); copies with a header row are read by column name.
 */
export async function* parsePracticeCsv(source: CsvSource): AsyncGenerator<PracticeRow> {
  let cols:
    { code: number; name: number; postcode: number; status: number; setting: number } | undefined;
  for await (const row of records(source)) {
    if (!cols) {
      if (/^[A-Z0-9]{3,8}$/.test(row[0] ?? '') && row.length >= 13) {
        cols = { code: 0, name: 1, postcode: 9, status: 12, setting: 25 };
      } else {
        cols = {
          code: columnIndex(row, ['organisation_code', 'code', 'org_code']),
          name: columnIndex(row, ['name', 'organisation_name']),
          postcode: columnIndex(row, ['postcode']),
          status: columnIndex(row, ['status_code', 'status']),
          setting: columnIndex(row, ['prescribing_setting']),
        };
        if (cols.code < 0 || cols.postcode < 0) {
          throw new Error('practice file: header has no organisation_code or postcode column');
        }
        continue;
      }
    }
    const code = (row[cols.code] ?? '').toUpperCase();
    if (!/^[A-Z0-9]{3,8}$/.test(code)) continue;
    yield {
      code,
      name: row[cols.name] ?? '',
      postcode: normalisePostcode(row[cols.postcode] ?? ''),
      active: (row[cols.status] ?? '') === 'A',
      gpPractice: (row[cols.setting] ?? '') === '4',
    };
  }
}

/**
 * Lookups held in memory, for tests and small deployments. A practice is placed by its postcode
 * when the postcode table has it, otherwise by its postcode district in the hierarchy.
 */
export function inMemoryPlaceLookups(
  postcodes: Iterable<PostcodeLadRow>,
  practices: Iterable<PracticeRow>,
  hierarchy?: PlaceHierarchy,
): PlaceLookups {
  const byPostcode = new Map<string, string>();
  for (const r of postcodes) byPostcode.set(r.postcode, r.ladCode);
  const byPractice = new Map<string, { ladCode: string; postcodeDistrict?: string }>();
  for (const p of practices) {
    if (!p.postcode) continue;
    const postcodeDistrict = postcodeDistrictOf(p.postcode);
    const ladCode =
      byPostcode.get(p.postcode) ??
      (postcodeDistrict ? hierarchy?.postcodeDistricts.get(postcodeDistrict) : undefined);
    if (ladCode) byPractice.set(p.code, { ladCode, postcodeDistrict });
  }
  return {
    postcodeToLad: (pc) => {
      const normalised = normalisePostcode(pc);
      return normalised ? byPostcode.get(normalised) : undefined;
    },
    practiceToLad: (ods) => byPractice.get(ods.trim().toUpperCase()),
  };
}
