import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One row per change of the taxonomy; the highest version is the current one. */
@Entity({ name: 'taxonomy_version' })
export class TaxonomyVersion {
  @PrimaryColumn({ type: 'integer' })
  version!: number;

  @CreateDateColumn({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;

  @Column({ type: 'text' })
  summary!: string;
}
