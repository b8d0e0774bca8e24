import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Batch } from './batch.entity';

/** `updated`: the row corrected a comment stored earlier under the same reference. */
export const ROW_OUTCOMES = ['rejected', 'duplicate', 'updated'] as const;
export type RowOutcome = (typeof ROW_OUTCOMES)[number];

/**
 * A row (or one answer of a multi-question row) that did not become a new insight: rejected, a
 * duplicate, or a correction of one stored before (`duplicate_of` names it). Keyed on its
 * position in the file so replaying a chunk records it once.
 */
@Entity({ name: 'rejected_row' })
export class RejectedRow {
  @PrimaryColumn({ name: 'batch_id', type: 'uuid' })
  batchId!: string;

  @ManyToOne(() => Batch, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'batch_id' })
  batch?: Batch;

  @PrimaryColumn({ name: 'row_number', type: 'integer' })
  rowNumber!: number;

  @PrimaryColumn({ type: 'smallint', default: 0 })
  part!: number;

  @Column({ type: 'text' })
  outcome!: RowOutcome;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'text', nullable: true })
  field!: string | null;

  /** Says what is wrong; never holds comment text. */
  @Column({ type: 'text' })
  message!: string;

  @Column({ name: 'duplicate_of', type: 'uuid', nullable: true })
  duplicateOf!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
