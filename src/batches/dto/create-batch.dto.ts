import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { PROFILES } from '../../../ingestion';
import { PageQueryDto } from '../../common/paging';
import {
  BATCH_STATUSES,
  REVIEW_STATUSES,
  SHARING_LEVELS,
  SOURCE_TYPES,
  type SharingLevel,
  type SourceType,
} from '../batch.entity';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_MESSAGE = (field: string) => `${field} must be a date written yyyy-mm-dd`;

/** Multipart form fields sent with the file. */
export class CreateBatchDto {
  @ApiPropertyOptional({
    description:
      "Code of the organisation the feedback comes from: the caller's own by default; only admins and moderators may name another",
    example: 'hw-kent',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{1,39}$/, {
    message: 'organisation must be an organisation code',
  })
  organisation?: string;

  @ApiProperty({ enum: SOURCE_TYPES })
  @IsIn(SOURCE_TYPES, { message: `sourceType must be one of ${SOURCE_TYPES.join(', ')}` })
  sourceType!: SourceType;

  @ApiProperty({ example: 'Maternity listening events, spring 2025' })
  @IsString()
  @Length(1, 200, { message: 'title must be 1 to 200 characters' })
  title!: string;

  @ApiPropertyOptional({ example: 'Paper cards at roadshows' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  collectionMethod?: string;

  @ApiPropertyOptional({ example: '2025-03-01' })
  @IsOptional()
  @Matches(ISO_DATE, { message: ISO_DATE_MESSAGE('collectedFrom') })
  collectedFrom?: string;

  @ApiPropertyOptional({ example: '2025-05-31' })
  @IsOptional()
  @Matches(ISO_DATE, { message: ISO_DATE_MESSAGE('collectedTo') })
  collectedTo?: string;

  @ApiPropertyOptional({ enum: SHARING_LEVELS, default: 'icb' })
  @IsOptional()
  @IsIn(SHARING_LEVELS, { message: `sharingLevel must be one of ${SHARING_LEVELS.join(', ')}` })
  sharingLevel?: SharingLevel;

  @ApiPropertyOptional({
    description: 'Delete the batch after this date (default: RETENTION_DEFAULT_YEARS from now)',
  })
  @IsOptional()
  @Matches(ISO_DATE, { message: ISO_DATE_MESSAGE('retentionUntil') })
  retentionUntil?: string;

  @ApiPropertyOptional({
    enum: Object.keys(PROFILES),
    description: 'Column-mapping profile; chosen from the headers when not given',
  })
  @IsOptional()
  @IsIn(Object.keys(PROFILES), {
    message: `profile must be one of ${Object.keys(PROFILES).join(', ')}`,
  })
  profile?: string;

  @ApiPropertyOptional({
    description:
      'JSON object: field → column header in the file, e.g. {"text":"Your comments"}; overrides the profile',
  })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  columnMap?: string;

  @ApiPropertyOptional({
    description:
      'JSON object: field → { code → answer }, for codes of your own, e.g. {"religion":{"7":"Sikh"},"carer":{"C":"yes"}}; keyed by the field a column is read as (age, sex, gender, ethnicity, disability, carer, sexuality, religion, deprivationDecile); codes match trimmed and ignoring case, and win over the file layout\'s own codes',
  })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  valueMap?: string;

  @ApiPropertyOptional({
    enum: ['dmy', 'mdy'],
    description: 'How to read 03/04/2024 (UK day-first by default)',
  })
  @IsOptional()
  @IsIn(['dmy', 'mdy'], { message: 'dateOrder must be dmy or mdy' })
  dateOrder?: 'dmy' | 'mdy';

  @ApiPropertyOptional({ description: 'XLSX: sheet name or 1-based number' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  sheet?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  sampleDescription?: string;

  @ApiPropertyOptional({ description: 'Lawful basis or consent note' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  lawfulBasis?: string;
}

/** The batch date fields, as yyyy-mm-dd strings. */
export type BatchDates = Pick<CreateBatchDto, 'collectedFrom' | 'collectedTo' | 'retentionUntil'>;

/** A rule across the date fields broken: which field, which rule, and the API's message. */
export interface BatchDateProblem {
  field: keyof BatchDates;
  rule: 'not_a_date' | 'order' | 'past';
  message: string;
}

/**
 * The rules the date fields follow beyond their format: real dates, collection ending no earlier
 * than it started, and a retention date still ahead. The upload API and the upload page both
 * check dates with this, each wording the problems for its readers.
 */
export function batchDateProblems(dates: BatchDates, today: string): BatchDateProblem[] {
  const problems: BatchDateProblem[] = [];
  for (const field of ['collectedFrom', 'collectedTo', 'retentionUntil'] as const) {
    const v = dates[field];
    if (v && Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
      problems.push({ field, rule: 'not_a_date', message: `${field} is not a real date` });
  }
  if (dates.collectedFrom && dates.collectedTo && dates.collectedFrom > dates.collectedTo)
    problems.push({
      field: 'collectedTo',
      rule: 'order',
      message: 'collectedFrom must not be after collectedTo',
    });
  if (dates.retentionUntil && dates.retentionUntil <= today)
    problems.push({
      field: 'retentionUntil',
      rule: 'past',
      message: 'retentionUntil must be in the future',
    });
  return problems;
}

export class ListBatchesQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  organisation?: string;

  @ApiPropertyOptional({
    enum: BATCH_STATUSES,
    description:
      'Deleted batches are left out unless asked for with status=deleted (admins and moderators)',
  })
  @IsOptional()
  @IsIn(BATCH_STATUSES, { message: `status must be one of ${BATCH_STATUSES.join(', ')}` })
  status?: string;

  @ApiPropertyOptional({ enum: SOURCE_TYPES })
  @IsOptional()
  @IsIn(SOURCE_TYPES)
  sourceType?: string;

  @ApiPropertyOptional({
    enum: REVIEW_STATUSES,
    description: 'Moderation decision: awaiting_review, approved or rejected',
  })
  @IsOptional()
  @IsIn(REVIEW_STATUSES, {
    message: `reviewStatus must be one of ${REVIEW_STATUSES.join(', ')}`,
  })
  reviewStatus?: string;
}

export class TemplateQueryDto {
  @ApiPropertyOptional({ enum: ['csv', 'xlsx'], default: 'csv' })
  @IsOptional()
  @IsIn(['csv', 'xlsx'], { message: 'format must be csv or xlsx' })
  format?: 'csv' | 'xlsx';
}
