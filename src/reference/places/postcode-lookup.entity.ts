import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Full postcode → local authority district, loaded with `insight-bank places:import`. Public reference data. */
@Entity({ name: 'postcode_lookup' })
export class PostcodeLookup {
  /** Normalised with one space, e.g. "ME10 4DD". */
  @PrimaryColumn({ type: 'text' })
  postcode!: string;

  @Column({ name: 'lad_code', type: 'text' })
  ladCode!: string;
}
