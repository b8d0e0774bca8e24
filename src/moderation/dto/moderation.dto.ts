import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../../common/paging';
import type { SafeguardingCategory, SafeguardingMatch } from '../safeguarding';

/** Longest reason a moderator may give (a decision, or clearing a safeguarding flag). */
export const REASON_MAX_LENGTH = 1000;

export const ITEM_FLAGS = ['all', 'pii', 'needs_review', 'safeguarding'] as const;
export type ItemFlag = (typeof ITEM_FLAGS)[number];

/** A moderation list's paging: the same parameters and rules as every API list. */
export class ModerationPageQueryDto extends PageQueryDto {}

export class BatchItemsQueryDto extends ModerationPageQueryDto {
  @ApiPropertyOptional({
    enum: ITEM_FLAGS,
    default: 'all',
    description:
      'pii: identifiers were removed; needs_review: a name or address was removed, or a safeguarding phrase matched; safeguarding: a safeguarding phrase matched',
  })
  @IsOptional()
  @IsIn(ITEM_FLAGS, { message: `flag must be one of ${ITEM_FLAGS.join(', ')}` })
  flag?: ItemFlag;
}

export class ReviewDecisionDto {
  @ApiPropertyOptional({
    description:
      'Why (shown to the uploading organisation for a batch); de-identified before it is kept',
    example: 'Comments are from a staff survey, not patients',
  })
  @IsOptional()
  @IsString({ message: 'reason must be text' })
  @MaxLength(REASON_MAX_LENGTH, {
    message: `reason must be at most ${REASON_MAX_LENGTH} characters`,
  })
  reason?: string;
}

export class ClearSafeguardingDto {
  @ApiProperty({
    description:
      'How the concern was dealt with, or why there is none; de-identified before it is kept',
    example: 'Quote from a song lyric, not a disclosure',
  })
  @IsString({ message: 'reason must be text' })
  @MaxLength(REASON_MAX_LENGTH, {
    message: `reason must be at most ${REASON_MAX_LENGTH} characters`,
  })
  reason!: string;
}

export class CorrectTextDto {
  @ApiProperty({
    description:
      'The corrected comment. It is de-identified again before it is stored, so identifiers typed back in are removed.',
    example: 'Dr [NAME] phoned me back the same day',
  })
  @IsString({ message: 'text must be text' })
  @MinLength(1, { message: 'text must not be empty' })
  @MaxLength(100_000, { message: 'text is too long' })
  text!: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ModerationBatchView {
  id: string;
  organisation: { id: string; code: string; name: string; trusted: boolean };
  title: string;
  sourceType: string;
  sharingLevel: string;
  /** Processing status; a batch can be approved once it is finished. */
  status: string;
  reviewStatus: string;
  uploadedAt: string;
  counts: {
    items: number;
    pending: number;
    /** Items from which the redactor removed at least one identifier. */
    piiFlagged: number;
    needsReview: number;
    safeguarding: number;
  };
  links: { batch: string; items: string; approve: string; reject: string };
}

export interface ModerationItemView {
  id: string;
  batchId: string;
  organisationId: string;
  rowNumber: number;
  part: number;
  /** The stored, de-identified text. */
  text: string;
  question: string | null;
  sharingLevel: string;
  moderationStatus: string;
  needsReview: boolean;
  safeguarding: boolean;
  /** What the safeguarding lexicon finds in the text now, with offsets into `text`. */
  safeguardingCategories: SafeguardingCategory[];
  safeguardingMatches: SafeguardingMatch[];
  /** Identifiers removed, by type, e.g. { "PHONE": 1 }. */
  redaction: Record<string, number>;
  createdAt: string;
  updatedAt: string;
}

export interface SafeguardingItemView extends ModerationItemView {
  organisation: { code: string; name: string };
  batchTitle: string;
}

export interface BatchDecisionView {
  id: string;
  reviewStatus: string;
  reviewedAt: string;
  /** Items whose moderation status this decision set (those still pending). */
  itemsChanged: number;
}

export interface InsightDecisionView {
  id: string;
  batchId: string;
  moderationStatus: string;
  needsReview: boolean;
}
