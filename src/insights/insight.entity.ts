import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Batch, type SharingLevel, type SourceType } from '../batches/batch.entity';
import { Organisation } from '../organisations/organisation.entity';
import type { Sentiment } from '../common/vocabulary';

export interface InsightTheme {
  code: string;
  provenance: 'rule' | 'model' | 'human';
  confidence: number;
}

export { SENTIMENTS, type Sentiment } from '../common/vocabulary';

/**
 * One comment. `text` and `question` hold redacted text only: raw feedback is never stored.
 * `dedup_key` is a keyed hash of the partner's row id when given (the id itself may be an
 * identifier; `external_ref` shows it de-identified), else a hash of the normalised text, so the
 * same comment sent twice by one organisation is stored once.
 */
@Entity({ name: 'insight' })
@Index('insight_org_dedup_uq', ['organisationId', 'dedupKey'], { unique: true })
@Index('insight_batch_row_idx', ['batchId', 'rowNumber', 'part'])
@Index('insight_comment_date_idx', ['commentDate'])
@Index('insight_safeguarding_idx', ['createdAt'], { where: 'safeguarding' })
@Check('insight_record_key_range', '"record_key" BETWEEN 0 AND 31')
export class Insight {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'batch_id', type: 'uuid' })
  batchId!: string;

  @ManyToOne(() => Batch, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'batch_id' })
  batch?: Batch;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation;

  @Column({ name: 'row_number', type: 'integer' })
  rowNumber!: number;

  @Column({ type: 'smallint', default: 0 })
  part!: number;

  @Column({ name: 'external_ref', type: 'text', nullable: true })
  externalRef!: string | null;

  @Column({ name: 'content_hash', type: 'char', length: 64 })
  contentHash!: string;

  @Column({ name: 'dedup_key', type: 'text' })
  dedupKey!: string;

  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'text', nullable: true })
  question!: string | null;

  @Column({ name: 'comment_date', type: 'date', nullable: true })
  commentDate!: string | null;

  @Column({ name: 'source_type', type: 'text' })
  sourceType!: SourceType;

  @Column({ name: 'sharing_level', type: 'text' })
  sharingLevel!: SharingLevel;

  @Column({ name: 'postcode_district', type: 'text', nullable: true })
  postcodeDistrict!: string | null;

  @Column({ name: 'lad_code', type: 'text', nullable: true })
  ladCode!: string | null;

  @Column({ name: 'hcp_area', type: 'text', nullable: true })
  hcpArea!: string | null;

  @Column({ type: 'text', nullable: true })
  service!: string | null;

  @Column({ name: 'gp_practice', type: 'text', nullable: true })
  gpPractice!: string | null;

  @Column({ name: 'place_resolved_by', type: 'text', default: 'none' })
  placeResolvedBy!: string;

  @Column({ name: 'age_band', type: 'text', default: 'unknown' })
  ageBand!: string;

  @Column({ type: 'text', default: 'unknown' })
  sex!: string;

  @Column({ name: 'gender_identity', type: 'text', default: 'unknown' })
  genderIdentity!: string;

  @Column({ name: 'ethnicity_group', type: 'text', default: 'unknown' })
  ethnicityGroup!: string;

  @Column({ name: 'ethnicity_detail', type: 'text', default: 'unknown' })
  ethnicityDetail!: string;

  @Column({ type: 'text', default: 'unknown' })
  disability!: string;

  @Column({ type: 'text', default: 'unknown' })
  carer!: string;

  @Column({ name: 'sexual_orientation', type: 'text', default: 'unknown' })
  sexualOrientation!: string;

  @Column({ type: 'text', default: 'unknown' })
  religion!: string;

  @Column({ name: 'deprivation_decile', type: 'smallint', nullable: true })
  deprivationDecile!: number | null;

  /**
   * Fixed random key in 0..31 for the cell key method of disclosure control; drawn by the
   * database when the row is written and never changed (see src/search/query/disclosure.ts).
   */
  @Column({
    name: 'record_key',
    type: 'smallint',
    default: () => '(get_byte(uuid_send(gen_random_uuid()), 0) % 32)',
    update: false,
  })
  recordKey!: number;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  themes!: InsightTheme[];

  @Column({ name: 'theme_codes', type: 'text', array: true, default: () => "'{}'" })
  themeCodes!: string[];

  @Column({ type: 'text', nullable: true })
  sentiment!: Sentiment | null;

  @Column({ name: 'sentiment_score', type: 'real', nullable: true })
  sentimentScore!: number | null;

  @Column({ type: 'text', default: 'und' })
  language!: string;

  /** Counts of each kind of identifier removed, e.g. { "PHONE": 1 }. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  redaction!: Record<string, number>;

  @Column({ name: 'needs_review', type: 'boolean', default: false })
  needsReview!: boolean;

  @Column({ type: 'boolean', default: false })
  safeguarding!: boolean;

  @Column({ name: 'moderation_status', type: 'text', default: 'approved' })
  moderationStatus!: string;

  /** Columns nobody mapped, kept as the partner sent them (after redaction). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  metadata!: Record<string, string>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
