import { readRecords, type RawValue } from '../../ingestion';
import type { SentimentLabel } from '../enrichment/tagging/sentiment/sentiment-scorer';

export class TrainingDataError extends Error {
  readonly code = 'invalid_input';
  constructor(message: string) {
    super(message);
    this.name = 'TrainingDataError';
  }
}

export interface LabelledFileOptions {
  textColumn: string;
  labelsColumn: string;
  /** Splits one cell into several labels; without it each cell is one label. */
  separator?: string;
  questionColumn?: string;
  sentimentColumn?: string;
}

export interface LabelledRow {
  text: string;
  labels: string[];
  question?: string;
  sentiment?: string;
}

export interface LabelledFile {
  rows: LabelledRow[];
  /** Rows left out because their text or labels cell was empty. */
  skipped: number;
  labels: string[];
}

function cell(v: RawValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  return String(v).trim();
}

/**
 * Reads a labelled file in any format the bank imports. Every problem names the column: a
 * missing column, a labels column with nothing in it, or fewer than two distinct labels.
 */
export async function readLabelledFile(
  file: string,
  opts: LabelledFileOptions,
): Promise<LabelledFile> {
  let headers: string[] | undefined;
  const rows: LabelledRow[] = [];
  let skipped = 0;
  let checked = false;
  const wanted: Array<[string, string | undefined]> = [
    ['--text-column', opts.textColumn],
    ['--labels-column', opts.labelsColumn],
    ['--question-column', opts.questionColumn],
    ['--sentiment-column', opts.sentimentColumn],
  ];
  for await (const record of readRecords(file, { onHeaders: (h) => (headers = h) })) {
    if (!checked) {
      const known = headers ?? Object.keys(record.values);
      for (const [flag, column] of wanted) {
        if (column !== undefined && !known.includes(column))
          throw new TrainingDataError(
            `${flag}: column "${column}" is not in the file (columns: ${known.join(', ')})`,
          );
      }
      checked = true;
    }
    const text = cell(record.values[opts.textColumn]);
    const rawLabels = cell(record.values[opts.labelsColumn]);
    const labels = (opts.separator ? rawLabels.split(opts.separator) : [rawLabels])
      .map((l) => l.trim())
      .filter((l) => l !== '');
    if (text === '' || labels.length === 0) {
      skipped++;
      continue;
    }
    const question = opts.questionColumn ? cell(record.values[opts.questionColumn]) : '';
    const sentiment = opts.sentimentColumn ? cell(record.values[opts.sentimentColumn]) : '';
    rows.push({
      text,
      labels: [...new Set(labels)],
      ...(question ? { question } : {}),
      ...(sentiment ? { sentiment } : {}),
    });
  }
  if (!checked) throw new TrainingDataError('the file has no rows');
  if (rows.length === 0)
    throw new TrainingDataError(
      `--labels-column: column "${opts.labelsColumn}" is empty (or "${opts.textColumn}" is) in every row`,
    );
  const labels = [...new Set(rows.flatMap((r) => r.labels))].sort();
  return { rows, skipped, labels };
}

/** Training needs two labels at least; says how many the column holds. */
export function requireTwoLabels(labels: readonly string[], column: string): void {
  if (labels.length < 2)
    throw new TrainingDataError(
      `column "${column}" has ${labels.length} distinct label${labels.length === 1 ? '' : 's'}; training needs at least 2`,
    );
}

export type SentimentOrder = 'positive-first' | 'negative-first';

const LEVELS: readonly SentimentLabel[] = [
  'very_negative',
  'negative',
  'neutral',
  'positive',
  'very_positive',
];

/** Level indexes for a scale of n ordered values, so a 3-point scale means negative/neutral/positive. */
function rankLevels(n: number): number[] {
  switch (n) {
    case 1:
      return [2];
    case 2:
      return [1, 3];
    case 3:
      return [1, 2, 3];
    case 4:
      return [0, 1, 3, 4];
    default:
      return Array.from({ length: n }, (_, i) => Math.round((i * 4) / (n - 1)));
  }
}

/**
 * Maps a file's sentiment values onto the five levels. Numbers are read by value: a scale that
 * runs through zero (−5..5) puts zero at neutral and the outer halves at the strong ends; a scale
 * that does not (1..5, 0..10) is spread evenly. Other values are ranked in natural order ("1 -
 * Poor" before "2 - Fair"). `order` says which end of the file's scale is the most positive.
 */
export function sentimentScale(
  values: readonly string[],
  order: SentimentOrder,
): (value: string) => SentimentLabel | undefined {
  const distinct = [...new Set(values.filter((v) => v !== ''))];
  const flip = (level: number) => (order === 'positive-first' ? 4 - level : level);
  const numbers = distinct.map(Number);
  if (distinct.length > 0 && numbers.every((n) => Number.isFinite(n))) {
    const min = Math.min(...numbers);
    const max = Math.max(...numbers);
    const level = (v: number): number => {
      if (min < 0 && max > 0) {
        if (v === 0) return 2;
        if (v < 0) return v <= min / 2 ? 0 : 1;
        return v >= max / 2 ? 4 : 3;
      }
      return max === min ? 2 : Math.round(((v - min) / (max - min)) * 4);
    };
    return (value) => {
      const v = Number(value);
      return value === '' || !Number.isFinite(v) ? undefined : LEVELS[flip(level(v))];
    };
  }
  const sorted = [...distinct].sort((a, b) =>
    a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' }),
  );
  const ranks = rankLevels(sorted.length);
  const index = new Map(sorted.map((v, i) => [v, ranks[i]]));
  return (value) => {
    const level = index.get(value);
    return level === undefined ? undefined : LEVELS[flip(level)];
  };
}
