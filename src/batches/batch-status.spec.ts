import { BATCH_STATUSES, type BatchStatus } from './batch.entity';
import {
  assertTransition,
  BATCH_TRANSITIONS,
  canTransition,
  IllegalBatchTransition,
  nextStatuses,
  type BatchEvent,
} from './batch-status';

describe('batch transitions', () => {
  it.each<[BatchStatus, Array<[BatchEvent, BatchStatus]>]>([
    [
      'received',
      [
        ['parse', 'parsing'],
        ['parsed', 'enriching'],
        ['fail', 'failed'],
        ['delete', 'deleted'],
      ],
    ],
    [
      'parsing',
      [
        ['parse', 'parsing'],
        ['parsed', 'enriching'],
        ['fail', 'failed'],
        ['delete', 'deleted'],
      ],
    ],
    [
      'enriching',
      [
        ['enriched', 'indexing'],
        ['fail', 'failed'],
        ['delete', 'deleted'],
      ],
    ],
    [
      'indexing',
      [
        ['indexed', 'complete'],
        ['indexedWithFailures', 'partially_failed'],
        ['fail', 'failed'],
        ['delete', 'deleted'],
      ],
    ],
    ['complete', [['delete', 'deleted']]],
    ['failed', [['delete', 'deleted']]],
    [
      'partially_failed',
      [
        ['fail', 'failed'],
        ['delete', 'deleted'],
      ],
    ],
    ['deleted', []],
  ])('from %s a batch may move only to %j', (from, allowed) => {
    expect(nextStatuses(from).map((n) => [n.event, n.to])).toEqual(allowed);
  });

  it('names every status in the table, and each event leads to one status', () => {
    const named = new Set<BatchStatus>(
      Object.values(BATCH_TRANSITIONS).flatMap((t) => [...t.from, t.to]),
    );
    expect([...named].sort()).toEqual([...BATCH_STATUSES].sort());
  });

  it('refuses an illegal move with a message naming the batch, the statuses and the event', () => {
    expect(canTransition('complete', 'enriched')).toBe(false);
    expect(() => assertTransition('b-1', 'complete', 'enriched')).toThrow(IllegalBatchTransition);
    expect(() => assertTransition('b-1', 'complete', 'enriched')).toThrow(
      'Batch b-1 cannot go from complete to indexing (enriched): enriched is allowed only from enriching',
    );
    expect(() => assertTransition('b-2', 'deleted', 'fail')).toThrow(
      'Batch b-2 cannot go from deleted to failed (fail)',
    );
    expect(assertTransition('b-3', 'indexing', 'indexed')).toBe('complete');
  });
});
