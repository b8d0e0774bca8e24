import { MeiliRequestError, type MeiliService } from './meili.service';

export interface MeiliTask {
  taskUid?: number;
  uid?: number;
  status: 'enqueued' | 'processing' | 'succeeded' | 'failed' | 'canceled';
  error?: { message: string; code: string } | null;
}

export class MeiliTaskFailed extends Error {
  constructor(
    readonly taskUid: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'MeiliTaskFailed';
  }
}

/**
 * Waits for a Meilisearch task to finish and throws unless it succeeded. The wait is as long as
 * the work needs (large batches take seconds), not the client's 5-second default.
 */
export async function waitForTask(
  meili: MeiliService,
  enqueued: { taskUid: number },
  timeoutMs = 15 * 60_000,
): Promise<MeiliTask> {
  const deadline = Date.now() + timeoutMs;
  let delay = 20;
  for (;;) {
    const task = await meili.request<MeiliTask>('GET', `/tasks/${enqueued.taskUid}`);
    if (task.status === 'succeeded') return task;
    if (task.status === 'failed' || task.status === 'canceled') {
      throw new MeiliTaskFailed(
        enqueued.taskUid,
        task.error?.code,
        `Meilisearch task ${enqueued.taskUid} ${task.status}: ${task.error?.message ?? 'no reason given'}`,
      );
    }
    if (Date.now() > deadline)
      throw new MeiliTaskFailed(
        enqueued.taskUid,
        'timeout',
        `Meilisearch task ${enqueued.taskUid} did not finish within ${timeoutMs} ms`,
      );
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 250);
  }
}

export function isNotFound(e: unknown): boolean {
  return e instanceof MeiliRequestError && e.status === 404;
}
