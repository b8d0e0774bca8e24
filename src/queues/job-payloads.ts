import { UnrecoverableError } from 'bullmq';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Job payloads are validated like any other input; they carry ids only. */
export function parseBatchJob(data: unknown): { batchId: string } {
  const d = data as { batchId?: unknown };
  if (typeof d?.batchId !== 'string' || !UUID.test(d.batchId))
    throw new UnrecoverableError('Job payload needs a batchId (uuid)');
  return { batchId: d.batchId };
}

export function parseChunkJob(data: unknown): { batchId: string; chunkNo: number } {
  const { batchId } = parseBatchJob(data);
  const chunkNo = (data as { chunkNo?: unknown }).chunkNo;
  if (typeof chunkNo !== 'number' || !Number.isInteger(chunkNo) || chunkNo < 0)
    throw new UnrecoverableError('Job payload needs a chunkNo (whole number)');
  return { batchId, chunkNo };
}

/**
 * A payload read by a check that throws plain errors. Its refusal is final: the same data fails
 * on every attempt, so the job is not retried.
 */
export function parsePayload<T>(parse: (data: unknown) => T, data: unknown): T {
  try {
    return parse(data);
  } catch (e) {
    throw new UnrecoverableError((e as Error).message);
  }
}
