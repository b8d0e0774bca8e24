import type { CanonicalField, ValueMap } from '../profiles/profile.types';

export type FieldsOf = Exclude<CanonicalField, 'text' | 'question' | 'externalRef' | 'date'>;

export interface ColumnMapping {
  profile: string;
  /** 'per-question': each non-empty answer in `questionColumns` is its own comment. */
  mode: 'single' | 'per-question';
  /** Headers (as in the file) feeding each field; more than one only for combined fields. */
  columns: Partial<Record<CanonicalField, string[]>>;
  /** Free-text question columns, in file order (per-question mode only). */
  questionColumns: string[];
  /** Headers nobody mapped; their values go to metadata. */
  unmapped: string[];
  /**
   * Codes read as answers, per field with a column (the profile's, then the partner's), keyed as
   * `codeKey` makes them. Applied to the field's value before anything else reads it.
   */
  values?: ValueMap;
}

export interface CandidateComment {
  rowNumber: number;
  /** 0 normally; in per-question mode the column's index among the question columns. */
  part: number;
  text: string;
  question?: string;
  externalRef?: string;
  /** ISO yyyy-mm-dd. */
  date?: string;
  fields: Partial<Record<FieldsOf, string>>;
  /** Every column nobody mapped, header -> value as string (blank values left out). */
  metadata: Record<string, string>;
}

export type RowProblemCode =
  'empty_comment' | 'text_too_long' | 'invalid_date' | 'ambiguous_date' | 'missing_text';

export interface RowProblem {
  rowNumber: number;
  part: number;
  code: RowProblemCode;
  /** 'error': the comment (or row) is rejected; 'warning': it is kept, minus the bad value. */
  severity: 'warning' | 'error';
  field?: string;
  /** Names columns, limits and lengths; never the feedback text. */
  message: string;
}

export interface MapOptions {
  /** How to read numeric dates such as 03/04/2024; UK day-first unless 'mdy'. */
  dateOrder?: 'dmy' | 'mdy';
  /** Default 20,000 characters. */
  maxTextLength?: number;
}
