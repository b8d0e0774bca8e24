import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GpPractice } from './gp-practice.entity';

@Injectable()
export class PlacesRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async ladsForPostcodes(postcodes: string[]): Promise<Map<string, string>> {
    if (!postcodes.length) return new Map();
    const rows = await this.ds.query<Array<{ postcode: string; lad_code: string }>>(
      `SELECT postcode, lad_code FROM postcode_lookup WHERE postcode = ANY($1::text[])`,
      [postcodes],
    );
    return new Map(rows.map((r) => [r.postcode, r.lad_code]));
  }

  async practices(codes: string[]): Promise<Map<string, GpPractice>> {
    if (!codes.length) return new Map();
    const rows = await this.ds
      .getRepository(GpPractice)
      .createQueryBuilder('p')
      .where('p.code = ANY(:codes)', { codes })
      .getMany();
    return new Map(rows.map((r) => [r.code, r]));
  }

  /** Upserts a page of postcodes; returns how many rows were written. */
  async upsertPostcodes(rows: Array<{ postcode: string; ladCode: string }>): Promise<number> {
    if (!rows.length) return 0;
    await this.ds.query(
      `INSERT INTO postcode_lookup (postcode, lad_code) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (postcode) DO UPDATE SET lad_code = EXCLUDED.lad_code`,
      [rows.map((r) => r.postcode), rows.map((r) => r.ladCode)],
    );
    return rows.length;
  }

  async upsertPractices(rows: Array<Omit<GpPractice, never>>): Promise<number> {
    if (!rows.length) return 0;
    await this.ds.query(
      `INSERT INTO gp_practice (code, name, postcode_district, lad_code, active)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[])
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, postcode_district = EXCLUDED.postcode_district,
         lad_code = EXCLUDED.lad_code, active = EXCLUDED.active`,
      [
        rows.map((r) => r.code),
        rows.map((r) => r.name),
        rows.map((r) => r.postcodeDistrict),
        rows.map((r) => r.ladCode),
        rows.map((r) => r.active),
      ],
    );
    return rows.length;
  }

  async counts(): Promise<{ postcodes: number; practices: number }> {
    const [r] = await this.ds.query<Array<{ postcodes: number; practices: number }>>(
      `SELECT (SELECT count(*) FROM postcode_lookup)::int AS postcodes, (SELECT count(*) FROM gp_practice)::int AS practices`,
    );
    return r;
  }
}
