import type { BatchView } from '../batches/dto/batch-view';
import { toBatchView } from '../batches/dto/batch-view';
import type { Batch } from '../batches/batch.entity';
import { etaText, importPercent } from './import-progress';

/** A batch as the bank reports it, part-way through. */
function view(
  status: string,
  p: {
    rowsRead?: number;
    parsed?: boolean;
    chunks?: [number, number];
    accepted?: number;
    indexed?: number;
  },
): BatchView {
  const batch = {
    id: 'b',
    organisationId: 'o',
    title: 't',
    sourceType: 'survey',
    status,
    rowsRead: p.rowsRead ?? 0,
    parseComplete: p.parsed ?? false,
    parsedAt: p.parsed ? new Date() : null,
    createdAt: new Date(),
    accepted: p.accepted ?? 0,
    indexed: p.indexed ?? 0,
    received: 0,
    rejected: 0,
    duplicates: 0,
    fileSize: 0,
  } as unknown as Batch;
  const [total, done] = p.chunks ?? [0, 0];
  return toBatchView(batch, { total, done, failed: 0 });
}

describe('import progress', () => {
  const N = 100_000; // estimated rows: 50 chunks of 2,000

  it.each([
    ['nothing read yet', view('received', {}), 0, 0],
    ['a quarter of the rows parsed', view('parsing', { rowsRead: 25_000, chunks: [12, 0] }), 5, 5],
    [
      'parsed, nothing enriched',
      view('enriching', { rowsRead: N, parsed: true, chunks: [50, 0] }),
      20,
      20,
    ],
    [
      'half enriched, a tenth of the expected comments indexed',
      view('enriching', {
        rowsRead: N,
        parsed: true,
        chunks: [50, 25],
        accepted: 50_000,
        indexed: 10_000,
      }),
      52,
      52,
    ],
    [
      'all enriched, nothing indexed',
      view('indexing', { rowsRead: N, parsed: true, chunks: [50, 50], accepted: 100_000 }),
      80,
      80,
    ],
    [
      'all enriched, half indexed',
      view('indexing', {
        rowsRead: N,
        parsed: true,
        chunks: [50, 50],
        accepted: 100_000,
        indexed: 50_000,
      }),
      90,
      90,
    ],
    ['complete', view('complete', { parsed: true }), 100, 100],
  ])('%s', (_what, v, min, max) => {
    const p = importPercent(v, N);
    expect(p).toBeGreaterThanOrEqual(min);
    expect(p).toBeLessThanOrEqual(max);
  });

  it('moves while rows are parsed, where the bank alone says 0 %', () => {
    const early = view('parsing', { rowsRead: 20_000, chunks: [10, 0] });
    expect(early.progress.percent).toBe(0);
    const later = view('parsing', { rowsRead: 60_000, chunks: [30, 0] });
    expect(importPercent(early, N)).toBeGreaterThan(0);
    expect(importPercent(later, N)).toBeGreaterThan(importPercent(early, N));
  });

  it('moves while documents are indexed', () => {
    const before = view('indexing', {
      parsed: true,
      chunks: [50, 50],
      accepted: 90_000,
      indexed: 0,
    });
    const after = view('indexing', {
      parsed: true,
      chunks: [50, 50],
      accepted: 90_000,
      indexed: 60_000,
    });
    expect(importPercent(after, N)).toBeGreaterThan(importPercent(before, N));
  });

  it('fills the indexing step with the running Meilisearch task’s progress', () => {
    const v = view('indexing', { parsed: true, chunks: [50, 50], accepted: 100_000, indexed: 0 });
    expect(importPercent(v, N)).toBe(80);
    expect(importPercent(v, N, 50)).toBe(90);
    expect(importPercent(v, N, 100)).toBe(99);
  });

  it('is never 100 before the end, even when the estimate was short', () => {
    expect(importPercent(view('parsing', { rowsRead: 3 * N, chunks: [150, 150] }), N)).toBe(99);
  });

  it('without an estimate follows the bank until parsing ends', () => {
    const v = view('parsing', { rowsRead: 4000, chunks: [4, 1] });
    expect(importPercent(v)).toBe(v.progress.percent);
  });

  it.each([
    [0, 5000, '--'],
    [10, 500, '--'],
    [50, 10_000, '10 s'],
    [25, 60_000, '3 min 00 s'],
    [1, 60_000, '1 h 39 min'],
    [100, 60_000, '0 s'],
  ])('ETA at %i %% after %i ms is %s', (percent, elapsed, text) => {
    expect(etaText(percent, elapsed)).toBe(text);
    expect(etaText(percent, elapsed)).not.toMatch(/NF|NaN|Infinity/);
  });
});
