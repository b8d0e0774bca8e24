import { IngestionError } from '../ingestion.error';
import { MAX_COLUMNS } from './adapter.types';

/** Name used for a cell that has no header: the 1-based column position, as people count them. */
export function positionalName(columnIndex: number): string {
  return `column_${columnIndex + 1}`;
}

/**
 * Turns a header row into unique, trimmed keys. Blank cells get positional names and repeats get a
 * numeric suffix (`Comment`, `Comment_2`) so no value is silently overwritten.
 */
export function makeHeaderNames(cells: readonly unknown[]): string[] {
  if (cells.length > MAX_COLUMNS) {
    throw new IngestionError(
      'too_many_columns',
      `The header row has ${cells.length} columns; the limit is ${MAX_COLUMNS}.`,
    );
  }
  const trimmed = cells.map((cell, i) => {
    const text = cellToHeaderText(cell);
    return text === '' ? positionalName(i) : text;
  });
  const taken = new Set<string>();
  const seen = new Map<string, number>();
  const result: string[] = [];
  for (const name of trimmed) {
    let candidate = name;
    let n = seen.get(name) ?? 1;
    while (taken.has(candidate)) {
      n += 1;
      candidate = `${name}_${n}`;
    }
    seen.set(name, n);
    taken.add(candidate);
    result.push(candidate);
  }
  return result;
}

/** Key for a cell beyond the header row; stays unique even if a header is literally `column_7`. */
export function extraColumnName(columnIndex: number, headers: readonly string[]): string {
  const base = positionalName(columnIndex);
  let candidate = base;
  let n = 1;
  while (headers.includes(candidate)) {
    n += 1;
    candidate = `${base}_${n}`;
  }
  return candidate;
}

function cellToHeaderText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  if (typeof cell === 'string') return cell.replace(/\s+/g, ' ').trim();
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  return '';
}
