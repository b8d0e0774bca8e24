import type { ExistingKey, NewInsight } from '../insights/insights.repository';
import { chunkOutcomes, firstOfEachKey } from './chunk-outcomes';

const BATCH = 'batch-now';

function row(rowNumber: number, key: string, hash: string, externalRef: string | null = null) {
  return {
    id: `new-${rowNumber}`,
    rowNumber,
    part: 0,
    dedupKey: key,
    contentHash: hash,
    externalRef,
  } as NewInsight;
}

function stored(key: string, over: Partial<ExistingKey> = {}): ExistingKey {
  return {
    dedupKey: key,
    id: `old-${key}`,
    batchId: 'batch-before',
    rowNumber: 7,
    part: 0,
    contentHash: 'h-old',
    ...over,
  };
}

describe('firstOfEachKey', () => {
  it('keeps the first row of each key and makes the others repeats of it', () => {
    const a = row(1, 'k1', 'h1');
    const b = row(2, 'k2', 'h2');
    const c = row(3, 'k1', 'h3');
    const { unique, repeats } = firstOfEachKey([a, b, c]);
    expect(unique).toEqual([a, b]);
    expect(repeats).toEqual([{ row: c, of: a }]);
  });
});

describe('chunkOutcomes', () => {
  it('rows stored as new need nothing; a replay of the same row needs nothing', () => {
    const fresh = row(1, 'k1', 'h1');
    const replayed = row(2, 'k2', 'h2');
    const existing = new Map([
      ['k2', stored('k2', { batchId: BATCH, rowNumber: 2, contentHash: 'h2' })],
    ]);
    expect(chunkOutcomes(BATCH, [fresh, replayed], [], existing)).toEqual({
      corrections: [],
      outcomes: [],
    });
  });

  it('a reference from an earlier batch with new content corrects the stored comment', () => {
    const r = row(4, 'ref:C1', 'h-new', 'C1');
    const { corrections, outcomes } = chunkOutcomes(
      BATCH,
      [r],
      [],
      new Map([['ref:C1', stored('ref:C1')]]),
    );
    expect(corrections).toEqual([{ id: 'old-ref:C1', row: r, fromBatchId: BATCH }]);
    expect(outcomes).toEqual([
      {
        rowNumber: 4,
        part: 0,
        outcome: 'updated',
        reason: 'corrected',
        field: null,
        message: 'Updated insight old-ref:C1 (corrected by re-upload)',
        duplicateOf: 'old-ref:C1',
      },
    ]);
  });

  it.each([
    [
      'the same content from an earlier batch',
      row(5, 'k', 'h-old', 'C2'),
      stored('k'),
      'Same comment as an insight from an earlier batch (old-k)',
    ],
    [
      'the same comment without a reference',
      row(5, 'k', 'h-other'),
      stored('k'),
      'Same reference as an insight from an earlier batch (old-k), with different content; the first row was kept',
    ],
    [
      'a row of this batch stored by another chunk',
      row(5, 'k', 'h-old', 'C3'),
      stored('k', { batchId: BATCH, rowNumber: 2 }),
      'Same comment as row 2 of this batch',
    ],
  ])('%s is a duplicate', (_what, r, prior, message) => {
    const { corrections, outcomes } = chunkOutcomes(BATCH, [r], [], new Map([['k', prior]]));
    expect(corrections).toEqual([]);
    expect(outcomes).toEqual([
      expect.objectContaining({ outcome: 'duplicate', message, duplicateOf: prior.id }),
    ]);
  });

  it('a repeat within the chunk duplicates its first row, by the id that row ended up with', () => {
    const first = row(1, 'k', 'h1', 'C4');
    const again = row(9, 'k', 'h2', 'C4');
    const same = row(10, 'k', 'h1', 'C4');
    const stored4 = stored('k', { batchId: BATCH, rowNumber: 1, contentHash: 'h1' });
    const { outcomes } = chunkOutcomes(
      BATCH,
      [first],
      [
        { row: again, of: first },
        { row: same, of: first },
      ],
      new Map([['k', stored4]]),
    );
    expect(outcomes).toEqual([
      expect.objectContaining({
        rowNumber: 9,
        message:
          'Same reference as row 1 of this batch, with different content; the first row was kept',
        duplicateOf: 'old-k',
      }),
      expect.objectContaining({
        rowNumber: 10,
        message: 'Same comment as row 1 of this batch',
        duplicateOf: 'old-k',
      }),
    ]);
  });
});
