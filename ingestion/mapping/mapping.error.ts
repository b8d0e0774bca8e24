export type MappingErrorCode =
  'no_text_column' | 'unknown_column' | 'unknown_field' | 'unknown_profile';

/** The file's columns cannot be matched to comments; raised before any row is read. */
export class MappingError extends Error {
  override readonly name = 'MappingError';

  constructor(
    readonly code: MappingErrorCode,
    message: string,
  ) {
    super(message);
  }
}
