import type { Readable } from 'node:stream';
import type { RawRecord } from './adapter.types';

/**
 * Adapters hand over records in batches (whatever one chunk of input produced): an async
 * generator pays several promise hops per item, so one hop per batch keeps parsing cheap.
 */
export async function* flattenBatches(
  batches: AsyncIterable<RawRecord[]>,
): AsyncGenerator<RawRecord> {
  for await (const batch of batches) {
    for (const record of batch) yield record;
  }
}

/**
 * Yields everything an object-mode stream has buffered, batch by batch, without the per-item
 * cost of the stream's own async iterator.
 */
export async function* readableBatches<T>(stream: Readable): AsyncGenerator<T[]> {
  let ended = false;
  let failure: Error | undefined;
  let signalled = false;
  let wake: (() => void) | undefined;
  const signal = () => {
    signalled = true;
    wake?.();
  };
  stream.on('readable', signal);
  stream.on('end', () => {
    ended = true;
    signal();
  });
  stream.on('error', (err: Error) => {
    failure = err;
    signal();
  });
  stream.on('close', signal);
  for (;;) {
    const batch: T[] = [];
    let item: T | null;
    while ((item = stream.read() as T | null) !== null) batch.push(item);
    if (batch.length > 0) yield batch;
    if (failure) throw failure;
    if (ended || stream.destroyed) return;
    if (!signalled) await new Promise<void>((resolve) => (wake = resolve));
    signalled = false;
    wake = undefined;
  }
}
