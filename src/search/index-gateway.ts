import { Injectable } from '@nestjs/common';
import { MeiliTaskFailed, isNotFound, type MeiliTask } from './meili/meili-tasks';
import { MeiliService } from './meili/meili.service';

/** An index uid as a path segment. */
const at = (uid: string): string => `/indexes/${encodeURIComponent(uid)}`;

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

/**
 * Every Meilisearch REST path the bank uses, in one place. Writes wait for their task to succeed,
 * so a caller that returns has its change in the index. Requests go through MeiliService's
 * kept-alive undici pool: Node's fetch would add tens of milliseconds to every search.
 */
@Injectable()
export class IndexGateway {
  constructor(private readonly meili: MeiliService) {}

  /** Index uid with the configured prefix (tests use a unique prefix per run). */
  indexUid(name: string): string {
    return this.meili.indexUid(name);
  }

  /** Whether Meilisearch answers its health check within `timeoutMs`. */
  async healthy(timeoutMs = 2000): Promise<boolean> {
    try {
      await this.meili.request('GET', '/health', undefined, timeoutMs);
      return true;
    } catch {
      return false;
    }
  }

  async exists(uid: string): Promise<boolean> {
    try {
      await this.meili.request('GET', at(uid));
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  async create(uid: string, primaryKey: string): Promise<void> {
    await this.task('POST', '/indexes', { uid, primaryKey });
  }

  /** Deletes an index; one that does not exist is already gone. */
  async drop(uid: string): Promise<void> {
    try {
      await this.task('DELETE', at(uid));
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  settings(uid: string): Promise<Record<string, unknown>> {
    return this.meili.request<Record<string, unknown>>('GET', `${at(uid)}/settings`);
  }

  /** Changes the named settings only (a settings change re-indexes every document). */
  async updateSettings(uid: string, patch: Record<string, unknown>): Promise<void> {
    await this.task('PATCH', `${at(uid)}/settings`, patch);
  }

  /** Writes whole documents, replacing any with the same id, in one task. */
  async upsert(uid: string, documents: object[]): Promise<void> {
    await this.task('POST', `${at(uid)}/documents?primaryKey=id`, documents, 120_000);
  }

  async delete(uid: string, ids: string[]): Promise<void> {
    await this.task('POST', `${at(uid)}/documents/delete-batch`, ids);
  }

  /** One search; the body is Meilisearch's own (see search-document's searchBody). */
  search<T>(uid: string, body: Record<string, unknown>): Promise<T> {
    return this.meili.request<T>('POST', `${at(uid)}/search`, body);
  }

  /** Documents matching a filter, a page at a time (`fields`, `limit`, `offset`, `filter`). */
  documents<T>(uid: string, body: Record<string, unknown>): Promise<{ results: T[] }> {
    return this.meili.request<{ results: T[] }>('POST', `${at(uid)}/documents/fetch`, body, 60_000);
  }

  /** Swaps two indexes' contents atomically: searches see one or the other, never neither. */
  async swap(a: string, b: string): Promise<void> {
    await this.task('POST', '/swap-indexes', [{ indexes: [a, b] }]);
  }

  stats(uid: string): Promise<{ numberOfDocuments: number }> {
    return this.meili.request<{ numberOfDocuments: number }>('GET', `${at(uid)}/stats`);
  }

  /** The progress (0-100) of the Meilisearch task now writing to the index, if any. */
  async writeProgress(uid: string): Promise<number | undefined> {
    const page = await this.meili.request<{
      results: Array<{ progress: { percentage: number } | null }>;
    }>('GET', `/batches?statuses=processing&indexUids=${encodeURIComponent(uid)}&limit=1`);
    return page.results[0]?.progress?.percentage;
  }

  private async task(
    method: 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    timeoutMs?: number,
  ): Promise<void> {
    await waitForTask(
      this.meili,
      await this.meili.request<{ taskUid: number }>(method, path, body, timeoutMs),
    );
  }
}
