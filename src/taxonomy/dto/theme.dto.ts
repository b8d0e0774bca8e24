import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { ThemeKind } from '../../enrichment/tagging/taxonomy';

export const THEME_KINDS: readonly ThemeKind[] = [
  'category',
  'sub_theme',
  'strategy',
  'service_area',
];
const CODE = /^[a-z][a-z0-9_]{0,63}$/;
/** Longest lexicon phrase, and most phrases in one list. */
export const PHRASE_MAX_LENGTH = 200;
export const PHRASES_MAX = 2000;

export class LexiconDto {
  @ApiProperty({ type: [String], example: ['car park', 'parking'] })
  @IsArray({ message: 'lexicon.phrases must be a list of phrases' })
  @ArrayMaxSize(PHRASES_MAX)
  @IsString({ each: true, message: 'lexicon.phrases must hold text only' })
  @Length(1, PHRASE_MAX_LENGTH, {
    each: true,
    message: `each of lexicon.phrases must be 1 to ${PHRASE_MAX_LENGTH} characters`,
  })
  phrases!: string[];

  @ApiPropertyOptional({ type: [String], example: ['park and ride'] })
  @IsOptional()
  @IsArray({ message: 'lexicon.exclude must be a list of phrases' })
  @ArrayMaxSize(PHRASES_MAX)
  @IsString({ each: true, message: 'lexicon.exclude must hold text only' })
  @Length(1, PHRASE_MAX_LENGTH, {
    each: true,
    message: `each of lexicon.exclude must be 1 to ${PHRASE_MAX_LENGTH} characters`,
  })
  exclude?: string[];
}

export class CreateThemeDto {
  @ApiProperty({ example: 'parking', description: 'lower-case slug, unique' })
  @IsString()
  @Matches(CODE, {
    message: 'code must be a lower-case slug (a-z, 0-9, _; starting with a letter)',
  })
  code!: string;

  @ApiProperty({ example: 'Parking' })
  @IsString()
  @Length(1, 200, { message: 'name must be 1 to 200 characters' })
  name!: string;

  @ApiPropertyOptional({ example: 'environment', nullable: true })
  @IsOptional()
  @Matches(CODE, { message: 'parentCode must be a theme code' })
  parentCode?: string | null;

  @ApiProperty({ enum: THEME_KINDS })
  @IsIn(THEME_KINDS, { message: `kind must be one of ${THEME_KINDS.join(', ')}` })
  kind!: ThemeKind;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: 'description must be at most 2000 characters' })
  description?: string;

  @ApiPropertyOptional({ type: LexiconDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LexiconDto)
  lexicon?: LexiconDto;
}

export class UpdateThemeDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200, { message: 'name must be 1 to 200 characters' })
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: 'description must be at most 2000 characters' })
  description?: string;

  @ApiPropertyOptional({ type: LexiconDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LexiconDto)
  lexicon?: LexiconDto;

  @ApiPropertyOptional({ nullable: true, description: 'null makes the theme top-level' })
  @ValidateIf((o: UpdateThemeDto) => o.parentCode !== undefined && o.parentCode !== null)
  @Matches(CODE, { message: 'parentCode must be a theme code' })
  parentCode?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

export interface ThemeView {
  code: string;
  name: string;
  parentCode: string | null;
  kind: ThemeKind;
  description: string;
  lexicon: { phrases: string[]; exclude?: string[] };
  active: boolean;
  version: number;
  updatedAt: string;
}

export interface ThemeNode extends ThemeView {
  children: ThemeNode[];
}

export interface TaxonomyTree {
  version: number;
  themes: ThemeNode[];
}
