export type IngestionErrorCode =
  | 'unsupported_format'
  | 'unreadable_file'
  | 'empty_file'
  | 'no_header'
  | 'syntax_error'
  | 'zip_bomb'
  | 'too_many_columns';

/**
 * A whole-file problem: the adapter cannot (or can no longer) produce records. Messages describe
 * the structure of the file only — never cell contents — because files hold patient feedback.
 */
export class IngestionError extends Error {
  override readonly name = 'IngestionError';

  constructor(
    readonly code: IngestionErrorCode,
    message: string,
    readonly rowNumber?: number,
    readonly field?: string,
  ) {
    super(message);
  }
}
