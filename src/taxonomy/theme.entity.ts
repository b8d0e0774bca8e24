import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ThemeKind, ThemeLexicon } from '../enrichment/tagging/taxonomy';

/** One node of the taxonomy. Deactivated themes stay, so old tags and events keep their meaning. */
@Entity({ name: 'theme' })
@Index('theme_parent_idx', ['parentCode'])
export class ThemeRow {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'parent_code', type: 'text', nullable: true })
  parentCode!: string | null;

  @Column({ type: 'text' })
  kind!: ThemeKind;

  @Column({ type: 'text', default: '' })
  description!: string;

  // Written as PostgreSQL prints jsonb, so the migration check sees no drift.
  @Column({ type: 'jsonb', default: () => `'{"phrases": []}'` })
  lexicon!: ThemeLexicon;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** The taxonomy version in which this theme last changed. */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
