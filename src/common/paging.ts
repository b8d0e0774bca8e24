import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

/** A page number as written in an address or a form: 1 to 999999, no sign, no leading zero. */
const PAGE_NUMBER = /^[1-9]\d{0,5}$/;
/** A page size the list endpoints accept: 1 to 100. */
const PAGE_SIZE = /^([1-9]|[1-9]\d|100)$/;

/**
 * The page a query or form asks for, or undefined when it is missing or not a page number. Every
 * list reads page numbers through this (pages) or IsPageNumber (API query DTOs), so both accept
 * the same.
 */
export function parsePageNumber(raw: unknown): number | undefined {
  const s = Array.isArray(raw) ? (raw as unknown[])[0] : raw;
  if (typeof s !== 'string') return undefined;
  const text = s.trim();
  return PAGE_NUMBER.test(text) ? Number(text) : undefined;
}

/** The `page` query parameter of an API list. */
export const IsPageNumber = (): PropertyDecorator =>
  Matches(PAGE_NUMBER, { message: 'page must be a whole number from 1' });

/** The `pageSize` query parameter of an API list. */
export const IsPageSize = (): PropertyDecorator =>
  Matches(PAGE_SIZE, { message: 'pageSize must be between 1 and 100' });

/** The paging parameters of an API list's query; a list's own filters extend it. */
export class PageQueryDto {
  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @IsPageNumber()
  page?: string;

  @ApiPropertyOptional({ default: 20 })
  @IsOptional()
  @IsPageSize()
  pageSize?: string;
}
