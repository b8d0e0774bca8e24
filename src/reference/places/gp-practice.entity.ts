import { Column, Entity, PrimaryColumn } from 'typeorm';

/** GP practices from the NHS ODS file (epraccur), loaded with `insight-bank places:import --practices`. */
@Entity({ name: 'gp_practice' })
export class GpPractice {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'postcode_district', type: 'text', nullable: true })
  postcodeDistrict!: string | null;

  @Column({ name: 'lad_code', type: 'text', nullable: true })
  ladCode!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;
}
