import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { PlacesImportService } from '../../src/reference/places/places-import.service';
import { createTestApp, truncateAll } from '../support/test-app';
import { ensureOrg, upload, waitForBatch } from '../support/batches';

const GEO = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'geography');
const present = fs.existsSync(path.join(GEO, 'postcode_to_lad.csv'));
if (!present) console.warn(`Skipping place resolution: ${GEO} is not present`);

/** A town in each district, as people write them in comments. */
const TOWNS: Record<string, string> = {
  E07000105: 'Ashford',
  E07000106: 'Canterbury',
  E07000107: 'Dartford',
  E07000108: 'Dover',
  E07000112: 'Folkestone',
  E07000109: 'Gravesend',
  E07000110: 'Maidstone',
  E06000035: 'Chatham',
  E07000111: 'Sevenoaks',
  E07000113: 'Sittingbourne',
  E07000114: 'Margate',
  E07000115: 'Tonbridge',
  E07000116: 'Tunbridge Wells',
};
const SWANLEY = 'SWANLEY';
const norm = (s: string) => s.replace(/,/g, '').toLowerCase();
function readCsv<T>(name: string): T[] {
  const rows: T[] = parse(fs.readFileSync(path.join(GEO, name)), { columns: true });
  return rows;
}

(present ? describe : describe.skip)(
  'place resolution through the pipeline, with the operator-loaded lookups',
  () => {
    let app: INestApplication<App>;

    beforeAll(async () => {
      app = await createTestApp();
      await truncateAll(app);
      await ensureOrg(app);
      const places = app.get(PlacesImportService);
      expect(await places.importPostcodes(path.join(GEO, 'postcode_to_lad.csv'))).toBeGreaterThan(
        50000,
      );
      expect(
        (await places.importPractices(path.join(GEO, 'gp_practices_epraccur_2023-12.csv')))
          .practices,
      ).toBeGreaterThan(400);
    });
    afterAll(async () => {
      await app.close();
    });

    it('all 13 districts and the Swanley exception resolve from a postcode, a postcode district, a town in the text and a practice code', async () => {
      const hcp = new Map(
        readCsv<{
          lad_code: string;
          hcp_area: string;
        }>('hcp_areas.csv').map((r) => [r.lad_code, r.hcp_area]),
      );
      const postcodes = readCsv<{ postcode: string; lad_code: string }>('postcode_to_lad.csv');
      const outcodes = readCsv<{
        outcode: string;
        main_lad_code: string;
        share_of_outcode_postcodes: string;
      }>('outcode_to_lad_summary.csv');
      const practices = readCsv<{
        organisation_code: string;
        postcode: string;
        status_code: string;
        prescribing_setting: string;
        lad_code_from_postcode: string;
      }>('gp_practices_epraccur_2023-12.csv');
      const dgs = hcp.get('E07000107')!;

      const cases: Array<{
        ref: string;
        comment: string;
        postcode: string;
        practice: string;
        lad: string;
        hcp: string;
      }> = [];
      for (const [lad, town] of Object.entries(TOWNS)) {
        const notBr8 = (pc: string) => !pc.startsWith('BR8');
        const pc = postcodes.find((p) => p.lad_code === lad && notBr8(p.postcode))!.postcode;
        const oc = outcodes
          .filter((o) => o.main_lad_code === lad && notBr8(o.outcode))
          .sort(
            (a, b) => Number(b.share_of_outcode_postcodes) - Number(a.share_of_outcode_postcodes),
          )[0].outcode;
        const gp = practices.find(
          (p) =>
            p.lad_code_from_postcode === lad &&
            p.status_code === 'A' &&
            p.prescribing_setting === '4' &&
            notBr8(p.postcode),
        )!.organisation_code;
        const want = hcp.get(lad)!;
        cases.push({
          ref: `${lad}-pc`,
          comment: 'The clinic ran late',
          postcode: pc,
          practice: '',
          lad,
          hcp: want,
        });
        cases.push({
          ref: `${lad}-oc`,
          comment: 'The clinic ran late',
          postcode: oc,
          practice: '',
          lad,
          hcp: want,
        });
        cases.push({
          ref: `${lad}-town`,
          comment: `The walk-in centre in ${town} was closed again`,
          postcode: '',
          practice: '',
          lad,
          hcp: want,
        });
        cases.push({
          ref: `${lad}-gp`,
          comment: 'My surgery never answers the phone',
          postcode: '',
          practice: gp,
          lad,
          hcp: want,
        });
      }
      // Swanley: Sevenoaks district, but the Dartford, Gravesham and Swanley partnership.
      const swanleyPc = postcodes.find(
        (p) => p.postcode.startsWith('BR8') && p.lad_code === 'E07000111',
      )!.postcode;
      const swanleyGp = practices.find(
        (p) =>
          p.postcode.startsWith('BR8') && p.status_code === 'A' && p.prescribing_setting === '4',
      )!.organisation_code;
      cases.push({
        ref: `${SWANLEY}-pc`,
        comment: 'The clinic ran late',
        postcode: swanleyPc,
        practice: '',
        lad: 'E07000111',
        hcp: dgs,
      });
      cases.push({
        ref: `${SWANLEY}-oc`,
        comment: 'The clinic ran late',
        postcode: 'BR8',
        practice: '',
        lad: 'E07000111',
        hcp: dgs,
      });
      cases.push({
        ref: `${SWANLEY}-town`,
        comment: 'The pharmacy in Swanley was brilliant',
        postcode: '',
        practice: '',
        lad: 'E07000111',
        hcp: dgs,
      });
      cases.push({
        ref: `${SWANLEY}-gp`,
        comment: 'My surgery never answers the phone',
        postcode: '',
        practice: swanleyGp,
        lad: 'E07000111',
        hcp: dgs,
      });

      const file = [
        'reference,comment,postcode,gp practice code',
        ...cases.map((c) => `${c.ref},"${c.comment}",${c.postcode},${c.practice}`),
      ].join('\n');
      const res = await upload(app, Buffer.from(file), 'places.csv');
      expect(res.status).toBe(202);
      const batch = await waitForBatch(app, res.body.id);
      expect(batch.counts.accepted).toBe(cases.length);

      const rows = await app.get(DataSource).query<
        Array<{
          external_ref: string;
          lad_code: string;
          hcp_area: string;
          postcode_district: string | null;
          place_resolved_by: string;
          text: string;
        }>
      >(`SELECT external_ref, lad_code, hcp_area, postcode_district, place_resolved_by, text FROM insight WHERE batch_id = $1`, [batch.id]);
      const got = new Map(rows.map((r) => [r.external_ref, r]));
      const wrong = cases
        .map((c) => ({ c, r: got.get(c.ref) }))
        .filter(({ c, r }) => !r || r.lad_code !== c.lad || norm(r.hcp_area) !== norm(c.hcp))
        .map(
          ({ c, r }) =>
            `${c.ref}: wanted ${c.lad}/${c.hcp}, got ${r?.lad_code}/${r?.hcp_area} (${r?.place_resolved_by})`,
        );
      expect(wrong).toEqual([]);
      const byMethod = (suffix: string, method: string) =>
        cases
          .filter((c) => c.ref.endsWith(suffix))
          .every((c) => got.get(c.ref)?.place_resolved_by === method);
      expect(byMethod('-pc', 'postcode')).toBe(true);
      expect(byMethod('-oc', 'postcode_district')).toBe(true);
      expect(byMethod('-town', 'text')).toBe(true);
      expect(byMethod('-gp', 'practice')).toBe(true);
      // Full postcodes are reduced to their district before storage.
      for (const c of cases.filter((x) => x.ref.endsWith('-pc'))) {
        expect(got.get(c.ref)!.postcode_district).toBe(c.postcode.split(' ')[0]);
        expect(JSON.stringify(got.get(c.ref))).not.toContain(c.postcode);
      }
    });
  },
);
