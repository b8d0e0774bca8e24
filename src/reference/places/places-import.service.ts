import * as fs from 'node:fs';
import { Injectable } from '@nestjs/common';
import { parsePostcodeLookupCsv, parsePracticeCsv } from '../../enrichment/places/lookup-parsers';
import { postcodeDistrictOf } from '../../enrichment/places/postcode';
import { ReferenceDataService } from '../reference-data.service';
import { PlacesRepository } from './places.repository';

const PAGE = 5000;

/**
 * Loads the large public reference files an operator downloads (OS Code-Point Open, the ONS
 * Postcode Directory, NHS ODS epraccur) into PostgreSQL. Re-running replaces earlier values.
 */
@Injectable()
export class PlacesImportService {
  constructor(
    private readonly repo: PlacesRepository,
    private readonly reference: ReferenceDataService,
  ) {}

  async importPostcodes(file: string, onProgress?: (n: number) => void): Promise<number> {
    let page: Array<{ postcode: string; ladCode: string }> = [];
    let total = 0;
    for await (const row of parsePostcodeLookupCsv(fs.createReadStream(file))) {
      page.push(row);
      if (page.length >= PAGE) {
        total += await this.repo.upsertPostcodes(dedupe(page));
        page = [];
        onProgress?.(total);
      }
    }
    total += await this.repo.upsertPostcodes(dedupe(page));
    onProgress?.(total);
    return total;
  }

  /** Practices are placed by their full postcode when the postcode table knows it, else by its district. */
  async importPractices(file: string): Promise<{ practices: number; placed: number }> {
    const rows = [];
    for await (const p of parsePracticeCsv(fs.createReadStream(file))) rows.push(p);
    const lads = await this.repo.ladsForPostcodes(
      rows.flatMap((r) => (r.postcode ? [r.postcode] : [])),
    );
    let placed = 0;
    const records = rows.map((r) => {
      const district = r.postcode ? postcodeDistrictOf(r.postcode) : undefined;
      const ladCode =
        (r.postcode && lads.get(r.postcode)) ||
        (district && this.reference.places.postcodeDistricts.get(district)) ||
        null;
      if (ladCode) placed += 1;
      return {
        code: r.code,
        name: r.name,
        postcodeDistrict: district ?? null,
        ladCode,
        active: r.active,
      };
    });
    for (let i = 0; i < records.length; i += PAGE)
      await this.repo.upsertPractices(records.slice(i, i + PAGE));
    return { practices: records.length, placed };
  }
}

function dedupe(
  rows: Array<{ postcode: string; ladCode: string }>,
): Array<{ postcode: string; ladCode: string }> {
  return [...new Map(rows.map((r) => [r.postcode, r])).values()];
}
