import { applyDecorators } from '@nestjs/common';
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

/*
 * The rules a field follows wherever a theme is written (added, changed, its lexicon's lists).
 * Each lists its checks in the order class-validator runs them, which is the order of the
 * refusals in an API error message.
 */
const IsPhraseList = (list: 'phrases' | 'exclude'): PropertyDecorator =>
  applyDecorators(
    Length(1, PHRASE_MAX_LENGTH, {
      each: true,
      message: `each of lexicon.${list} must be 1 to ${PHRASE_MAX_LENGTH} characters`,
    }),
    IsString({ each: true, message: `lexicon.${list} must hold text only` }),
    ArrayMaxSize(PHRASES_MAX),
    IsArray({ message: `lexicon.${list} must be a list of phrases` }),
  );
const IsThemeName = (): PropertyDecorator =>
  applyDecorators(Length(1, 200, { message: 'name must be 1 to 200 characters' }), IsString());
const IsThemeDescription = (): PropertyDecorator =>
  applyDecorators(
    MaxLength(2000, { message: 'description must be at most 2000 characters' }),
    IsString(),
  );
const IsLexicon = (): PropertyDecorator =>
  applyDecorators(
    Type(() => LexiconDto),
    ValidateNested(),
  );

export class LexiconDto {
  @ApiProperty({ type: [String], example: ['car park', 'parking'] })
  @IsPhraseList('phrases')
  phrases!: string[];

  @ApiPropertyOptional({ type: [String], example: ['park and ride'] })
  @IsOptional()
  @IsPhraseList('exclude')
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
  @IsThemeName()
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
  @IsThemeDescription()
  description?: string;

  @ApiPropertyOptional({ type: LexiconDto })
  @IsOptional()
  @IsLexicon()
  lexicon?: LexiconDto;
}

export class UpdateThemeDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsThemeName()
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsThemeDescription()
  description?: string;

  @ApiPropertyOptional({ type: LexiconDto })
  @IsOptional()
  @IsLexicon()
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
