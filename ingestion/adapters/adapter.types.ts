export type SourceFormat = 'csv' | 'xlsx' | 'json' | 'ndjson';

export type RawValue = string | number | boolean | Date | null;

export interface RawRecord {
  /** The number a person would look for: spreadsheet row, file line, or 1-based record number. */
  rowNumber: number;
  values: Record<string, RawValue>;
  /**
   * Cells the reader cut short to bound its memory (CSV, at MAX_CELL_CHARS): column -> the cell's
   * full length in characters. `values` holds only the start of them; the row is rejected.
   */
  oversized?: Record<string, number>;
}

export interface ReadOptions {
  /** Else detected from the file name and the first bytes. */
  format?: SourceFormat;
  fileName?: string;
  /** xlsx: sheet name or 1-based index; default: the first sheet with data. */
  sheet?: string | number;
  /** Overrides encoding detection (csv, json, ndjson). */
  encoding?: string;
  /** Overrides delimiter sniffing (csv). */
  delimiter?: string;
  /** xlsx zip-bomb cap on the total uncompressed size; default 500 MB. */
  maxUncompressedBytes?: number;
  /** Called once with the final header names before the first record (csv, xlsx). */
  onHeaders?: (headers: string[]) => void;
}

/** Columns beyond this are refused: no real feedback export has them, a broken file might. */
export const MAX_COLUMNS = 1000;
export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024;
