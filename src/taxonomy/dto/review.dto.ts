import { ApiProperty } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { SENTIMENTS, type Sentiment } from '../../insights/insight.entity';

export const REVIEW_ACTIONS = ['accept', 'reject', 'add'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

export class ReviewTagDto {
  @ApiProperty({ enum: REVIEW_ACTIONS })
  @IsIn(REVIEW_ACTIONS, { message: `action must be one of ${REVIEW_ACTIONS.join(', ')}` })
  action!: ReviewAction;

  @ApiProperty({ example: 'waiting_times', description: 'theme code' })
  @Matches(/^[a-z][a-z0-9_]{0,63}$/, { message: 'theme must be a theme code' })
  theme!: string;
}

export class SetSentimentDto {
  @ApiProperty({ enum: SENTIMENTS })
  @IsIn(SENTIMENTS, { message: `sentiment must be one of ${SENTIMENTS.join(', ')}` })
  sentiment!: Sentiment;
}

export interface TagEventView {
  id: string;
  actor: string;
  action: string;
  theme: string | null;
  before: unknown;
  after: unknown;
  at: string;
}

export interface ReviewedInsightView {
  id: string;
  themes: Array<{ code: string; provenance: string; confidence: number }>;
  sentiment: Sentiment | null;
}
