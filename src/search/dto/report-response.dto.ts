import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ThemeRefDto } from './search-response.dto';

export class TrendSeriesDto {
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'The split value (HCP area or source type); absent without split',
  })
  split?: string | null;

  @ApiProperty({
    description:
      'cells[period][theme]: comments per period and theme; null = fewer than the disclosure threshold (only when suppressionApplied)',
    type: 'array',
    items: { type: 'array', items: { type: 'number', nullable: true } },
  })
  cells!: (number | null)[][];

  @ApiProperty({ type: 'array', items: { type: 'number', nullable: true } })
  periodTotals!: (number | null)[];

  @ApiProperty({ type: 'array', items: { type: 'number', nullable: true } })
  themeTotals!: (number | null)[];
}

export class TrendsResponseDto {
  @ApiProperty({ enum: ['week', 'month', 'quarter'] })
  interval!: string;

  @ApiProperty({ enum: ['theme'] })
  by!: string;

  @ApiPropertyOptional({ enum: ['hcpArea', 'sourceType'] })
  split?: string;

  @ApiProperty({
    nullable: true,
    type: Number,
    description:
      'Comments matched (with a comment date or not); published through disclosure control when suppressionApplied',
  })
  total!: number | null;

  @ApiProperty({ type: [String], description: 'First day of each period, yyyy-mm-dd' })
  periods!: string[];

  @ApiProperty({ type: [ThemeRefDto] })
  themes!: ThemeRefDto[];

  @ApiProperty({ type: [TrendSeriesDto] })
  series!: TrendSeriesDto[];

  @ApiProperty({
    description:
      'Whether the counts are split by a population group and published through disclosure control (cell key method) for this role',
  })
  suppressionApplied!: boolean;

  @ApiPropertyOptional()
  notice?: string;
}

export class ThemeCountDto extends ThemeRefDto {
  /** Published through disclosure control for a population group (see SummaryResponseDto.notice). */
  @ApiProperty()
  count!: number;
}

export class SummaryResponseDto {
  @ApiProperty({ nullable: true, type: Number })
  count!: number | null;

  @ApiProperty({ nullable: true, type: Number })
  organisations!: number | null;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'number', nullable: true } })
  sourceTypes!: Record<string, number | null>;

  @ApiProperty({ type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' } } })
  dateRange!: { from: string | null; to: string | null };

  @ApiProperty({ type: [ThemeCountDto] })
  topThemes!: ThemeCountDto[];

  @ApiProperty({ type: 'object', additionalProperties: { type: 'number', nullable: true } })
  sentiment!: Record<string, number | null>;

  @ApiPropertyOptional()
  notice?: string;
}
