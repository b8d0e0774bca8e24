import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Insight } from '../insights/insight.entity';

/** `correction`: the comment was replaced by a corrected row re-uploaded with its reference. */
export const TAG_ACTIONS = ['accept', 'reject', 'add', 'sentiment', 'correction'] as const;
export type TagAction = (typeof TAG_ACTIONS)[number];

/**
 * A person's review of an insight's tags or sentiment: who, when, what it was and became.
 * The latest accept/add/reject per theme also records a rejection that re-tagging must respect.
 */
@Entity({ name: 'tag_event' })
@Index('tag_event_insight_idx', ['insightId', 'at'])
export class TagEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'insight_id', type: 'uuid' })
  insightId!: string;

  @ManyToOne(() => Insight, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'insight_id' })
  insight?: Insight;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'text' })
  action!: TagAction;

  @Column({ name: 'theme_code', type: 'text', nullable: true })
  themeCode!: string | null;

  @Column({ type: 'jsonb' })
  before!: unknown;

  @Column({ type: 'jsonb' })
  after!: unknown;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;
}
