import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { MultiLabelReport } from '../enrichment/tagging/evaluate';
import type { SerializedModel } from '../enrichment/tagging/model/text-classifier';

/**
 * A trained text classifier, versioned by name. At most one version of a name is active; the
 * enrich step uses the most recently activated model of any name.
 */
@Entity({ name: 'tagger_model' })
@Index('tagger_model_name_version_uq', ['name', 'version'], { unique: true })
@Index('tagger_model_one_active_uq', ['name'], { unique: true, where: 'active' })
export class TaggerModel {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'jsonb' })
  labels!: string[];

  /** Model label to the theme codes it stands for. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  crosswalk!: Record<string, string[]>;

  @Column({ type: 'jsonb' })
  model!: SerializedModel;

  @Column({ type: 'jsonb', nullable: true })
  metrics!: MultiLabelReport | null;

  @CreateDateColumn({ name: 'trained_at', type: 'timestamptz' })
  trainedAt!: Date;

  /** A file name, or 'reviewed insights'. */
  @Column({ name: 'trained_on', type: 'text' })
  trainedOn!: string;

  @Column({ type: 'boolean', default: false })
  active!: boolean;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;
}
