import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ThemeRefDto {
  @ApiProperty({ example: 'access_appointments' })
  code!: string;

  @ApiProperty({ example: 'Appointments and access' })
  name!: string;
}

export class PlaceDto {
  @ApiProperty({ nullable: true, type: String, example: 'West Kent' })
  hcpArea!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    example: 'E07000110',
    description: 'district (LAD) code',
  })
  district!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'Maidstone' })
  districtName!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'ME14' })
  postcodeDistrict!: string | null;
}

/** Which comment, and where it came from: said alike by a search hit and a whole comment. */
class InsightOriginDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ type: PlaceDto })
  place!: PlaceDto;

  @ApiProperty()
  sourceType!: string;

  @ApiProperty()
  organisationId!: string;

  @ApiProperty()
  batchId!: string;
}

export class SearchHitDto extends InsightOriginDto {
  @ApiProperty({
    description:
      'Redacted comment as HTML: escaped, cropped around the match, matches wrapped in <mark>',
  })
  text!: string;

  @ApiProperty({ nullable: true, type: String, description: 'HTML, escaped like text' })
  question!: string | null;

  @ApiProperty({ nullable: true, type: String, example: '2024-03-01' })
  date!: string | null;

  @ApiProperty({ type: [ThemeRefDto] })
  themes!: ThemeRefDto[];

  @ApiProperty({ nullable: true, type: String })
  sentiment!: string | null;

  @ApiPropertyOptional({
    description: 'Only for roles with row-level demographic access (admin, moderator, analyst)',
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  demographics?: Record<string, string>;
}

export class SearchResponseDto {
  @ApiProperty()
  query!: string;

  @ApiProperty()
  page!: number;

  @ApiProperty()
  pageSize!: number;

  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Exact number of matching comments; null when withheld (see notice)',
  })
  total!: number | null;

  @ApiProperty({ type: [SearchHitDto] })
  hits!: SearchHitDto[];

  @ApiProperty({
    description:
      'Per requested facet, value → count; null marks a count hidden by disclosure control',
    type: 'object',
    additionalProperties: {
      type: 'object',
      additionalProperties: { type: 'number', nullable: true },
    },
  })
  facets!: Record<string, Record<string, number | null>>;

  @ApiProperty({
    description:
      'Names for facet values that are ids: per facet (organisation, batch), id -> organisation name or batch title',
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: { type: 'string' } },
  })
  facetLabels!: Record<string, Record<string, string>>;

  @ApiProperty({
    description: 'Per facet, the values whose counts were hidden',
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
  })
  suppressed!: Record<string, string[]>;

  @ApiPropertyOptional({ description: 'Why rows or counts were withheld' })
  notice?: string;
}

export class InsightThemeDto extends ThemeRefDto {
  @ApiProperty({ enum: ['rule', 'model', 'human'] })
  provenance!: string;

  @ApiProperty()
  confidence!: number;
}

export class InsightDto extends InsightOriginDto {
  @ApiProperty({ description: 'Redacted comment text (plain text)' })
  text!: string;

  @ApiProperty({ nullable: true, type: String })
  question!: string | null;

  @ApiProperty({ nullable: true, type: String })
  date!: string | null;

  @ApiProperty({ type: [InsightThemeDto] })
  themes!: InsightThemeDto[];

  @ApiProperty({ nullable: true, type: String })
  sentiment!: string | null;

  @ApiProperty({ nullable: true, type: Number })
  sentimentScore!: number | null;

  @ApiProperty()
  language!: string;

  @ApiProperty()
  sharingLevel!: string;

  @ApiProperty()
  needsReview!: boolean;

  @ApiProperty()
  safeguarding!: boolean;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  demographics?: Record<string, string>;
}
