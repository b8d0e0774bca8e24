import { MeiliRequestError } from './meili.service';

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

export function isNotFound(e: unknown): boolean {
  return e instanceof MeiliRequestError && e.status === 404;
}
