import type { MappingSummary, ValueMap } from '../../ingestion';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Organisation } from '../organisations/organisation.entity';
import type { SharingLevel, SourceType } from '../common/vocabulary';

export {
  SHARING_LEVELS,
  SOURCE_TYPES,
  type SharingLevel,
  type SourceType,
} from '../common/vocabulary';

export const BATCH_STATUSES = [
  'received',
  'parsing',
  'enriching',
  'indexing',
  'complete',
  'failed',
  'partially_failed',
  'deleted',
] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
export const TERMINAL_BATCH_STATUSES: readonly BatchStatus[] = [
  'complete',
  'failed',
  'partially_failed',
  'deleted',
];

/** Per field, the answers not placed, most frequent first. */
export type UnplacedValues = Record<string, Array<{ value: string; count: number }>>;

/** Whether a batch's comments may be seen outside its organisation (see src/moderation). */
export const REVIEW_STATUSES = ['awaiting_review', 'approved', 'rejected'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

@Entity({ name: 'batch' })
// A deleted batch keeps its row (a tombstone) but no longer stops the same file being uploaded again.
@Index('batch_org_sha256_uq', ['organisationId', 'fileSha256'], {
  unique: true,
  where: `status <> 'deleted'`,
})
@Index('batch_status_idx', ['status'])
@Index('batch_awaiting_review_idx', ['createdAt'], { where: `review_status = 'awaiting_review'` })
export class Batch {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation;

  @Column({ name: 'source_type', type: 'text' })
  sourceType!: SourceType;

  @Column({ type: 'text' })
  title!: string;

  @Column({ name: 'collection_method', type: 'text', nullable: true })
  collectionMethod!: string | null;

  @Column({ name: 'collected_from', type: 'date', nullable: true })
  collectedFrom!: string | null;

  @Column({ name: 'collected_to', type: 'date', nullable: true })
  collectedTo!: string | null;

  @Column({ name: 'sample_description', type: 'text', nullable: true })
  sampleDescription!: string | null;

  @Column({ name: 'lawful_basis', type: 'text', nullable: true })
  lawfulBasis!: string | null;

  @Column({ name: 'sharing_level', type: 'text', default: 'icb' })
  sharingLevel!: SharingLevel;

  @Column({ name: 'retention_until', type: 'date', nullable: true })
  retentionUntil!: string | null;

  @Column({ name: 'file_name', type: 'text' })
  fileName!: string;

  @Column({ name: 'file_sha256', type: 'char', length: 64 })
  fileSha256!: string;

  @Column({ name: 'file_size', type: 'bigint' })
  fileSize!: string;

  @Column({ type: 'text', nullable: true })
  profile!: string | null;

  @Column({ name: 'column_map', type: 'jsonb', nullable: true })
  columnMap!: Record<string, string> | null;

  /** The partner's own codes for answers, per field (code -> answer), given at upload. */
  @Column({ name: 'value_map', type: 'jsonb', nullable: true })
  valueMap!: ValueMap | null;

  /**
   * Demographic answers the bank could not place, per field: the most frequent few, de-identified
   * and cut short, with how many comments gave each. Filled when enrichment ends; emptied on deletion.
   */
  @Column({ name: 'unplaced_values', type: 'jsonb', nullable: true })
  unplacedValues!: UnplacedValues | null;

  /** How the file's columns were read, once parsed (see ingestion's mappingSummary). */
  @Column({ type: 'jsonb', nullable: true })
  mapping!: MappingSummary | null;

  /** Parsing options chosen at upload (format, sheet, date order, encoding). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  options!: Record<string, unknown>;

  @Column({ type: 'text', default: 'received' })
  status!: BatchStatus;

  @Column({ type: 'integer', default: 0 })
  received!: number;

  @Column({ type: 'integer', default: 0 })
  accepted!: number;

  @Column({ type: 'integer', default: 0 })
  rejected!: number;

  @Column({ type: 'integer', default: 0 })
  duplicates!: number;

  /** Rows that corrected a comment stored earlier under the same reference (not new insights). */
  @Column({ type: 'integer', default: 0 })
  updated!: number;

  @Column({ type: 'integer', default: 0 })
  indexed!: number;

  /** Rows read so far while parsing (for progress), and whether the whole file has been read. */
  @Column({ name: 'rows_read', type: 'integer', default: 0 })
  rowsRead!: number;

  @Column({ name: 'parse_complete', type: 'boolean', default: false })
  parseComplete!: boolean;

  @Column({ name: 'error_summary', type: 'jsonb', default: () => "'{}'" })
  errorSummary!: Record<string, number>;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  /**
   * Moderation: `awaiting_review` until a moderator approves or rejects the batch; `approved` at
   * upload for trusted organisations and for uploads by admins and moderators.
   */
  @Column({ name: 'review_status', type: 'text', default: 'approved' })
  reviewStatus!: ReviewStatus;

  @Column({ name: 'reviewed_at', type: 'timestamptz', nullable: true })
  reviewedAt!: Date | null;

  /** Who approved or rejected it, as audit rows name them. */
  @Column({ name: 'reviewed_by', type: 'text', nullable: true })
  reviewedBy!: string | null;

  /** The moderator's reason for a rejection (de-identified), shown to the uploader. */
  @Column({ name: 'review_reason', type: 'text', nullable: true })
  reviewReason!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'parsed_at', type: 'timestamptz', nullable: true })
  parsedAt!: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  /**
   * Set when the batch was deleted (on request or at the end of its retention): its insights, rows
   * and files are gone, this row stays so provenance and the audit trail still resolve.
   */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  /** Who deleted it, as audit rows name them (an email, `key:<prefix>`, `retention`). */
  @Column({ name: 'deleted_by', type: 'text', nullable: true })
  deletedBy!: string | null;

  @Column({ name: 'deletion_reason', type: 'text', nullable: true })
  deletionReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
