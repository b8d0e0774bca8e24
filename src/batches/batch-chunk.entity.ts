import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Batch } from './batch.entity';

export type ChunkStatus = 'pending' | 'done' | 'failed';

/**
 * A slice of a batch's parsed rows waiting in the file store for the enrich step. Chunk numbers
 * are deterministic, so re-parsing a file after a crash finds the chunks it already made.
 */
@Entity({ name: 'batch_chunk' })
export class BatchChunk {
  @PrimaryColumn({ name: 'batch_id', type: 'uuid' })
  batchId!: string;

  @ManyToOne(() => Batch, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'batch_id' })
  batch?: Batch;

  @PrimaryColumn({ name: 'chunk_no', type: 'integer' })
  chunkNo!: number;

  @Column({ name: 'first_row', type: 'integer' })
  firstRow!: number;

  @Column({ name: 'last_row', type: 'integer' })
  lastRow!: number;

  @Column({ type: 'integer' })
  size!: number;

  @Column({ type: 'text', default: 'pending' })
  status!: ChunkStatus;

  /** Counts gathered while enriching (unrecognised demographic values, redactions), by key. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  stats!: Record<string, number>;

  /** Demographic answers not placed (de-identified, cut short): field -> answer -> comments. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  unplaced!: Record<string, Record<string, number>>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'done_at', type: 'timestamptz', nullable: true })
  doneAt!: Date | null;
}
