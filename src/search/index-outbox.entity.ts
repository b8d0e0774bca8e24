import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type OutboxOperation = 'upsert' | 'delete';

/** An insight whose search document must be written or removed; drained by the index job. */
@Entity({ name: 'index_outbox' })
@Index('index_outbox_insight_idx', ['insightId'])
export class IndexOutbox {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'insight_id', type: 'uuid' })
  insightId!: string;

  @Column({ name: 'batch_id', type: 'uuid', nullable: true })
  batchId!: string | null;

  @Column({ type: 'text' })
  operation!: OutboxOperation;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
