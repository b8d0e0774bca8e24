import { Injectable, Logger } from '@nestjs/common';
import { BatchLifecycleService } from '../../batches/batch-lifecycle.service';
import type { InsightLike } from '../../insights/insight-fields';
import { IndexGateway } from '../index-gateway';
import { toSearchDocument } from '../query/search-document';
import { OutboxRepository } from './outbox.repository';
import { SearchIndexService } from './search-index.service';
import { ThemeLookupService } from './theme-lookup.service';

/** Documents per Meilisearch task: large batches index far faster than small ones. */
export const INDEX_BATCH_SIZE = 10_000;

export interface DrainOptions {
  /**
   * Write only whole tasks of INDEX_BATCH_SIZE documents and stop when fewer are waiting. Used
   * while batches are still being enriched; the drain that follows enrichment takes the rest.
   */
  fullTasksOnly?: boolean;
}

export interface DrainResult {
  upserted: number;
  deleted: number;
  batches: string[];
}

/**
 * Drains the index outbox: claims entries, writes their documents in one Meilisearch task, waits
 * for the task to succeed, and only then deletes the entries — so a Meilisearch outage loses
 * nothing (the job fails, the transaction rolls back, BullMQ retries with backoff).
 */
@Injectable()
export class IndexingService {
  private readonly logger = new Logger(IndexingService.name);

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly gateway: IndexGateway,
    private readonly index: SearchIndexService,
    private readonly themes: ThemeLookupService,
    private readonly lifecycle: BatchLifecycleService,
  ) {}

  async drain(maxRounds = Number.POSITIVE_INFINITY, opts: DrainOptions = {}): Promise<DrainResult> {
    await this.index.ensureReady();
    const result: DrainResult = { upserted: 0, deleted: 0, batches: [] };
    const touched = new Set<string>();
    for (let round = 0; round < maxRounds; round++) {
      // Looked at before claiming: claiming locks rows, which costs writes when nothing is taken.
      if (opts.fullTasksOnly && !(await this.outbox.hasAtLeast(INDEX_BATCH_SIZE))) break;
      const written = new Map<string, number>();
      const done = await this.outbox.transaction(async (tx) => {
        const entries = await tx.claim(INDEX_BATCH_SIZE);
        if (!entries.length) return false;
        if (opts.fullTasksOnly && entries.length < INDEX_BATCH_SIZE) return false;
        const latest = new Map<string, 'upsert' | 'delete'>();
        for (const e of entries) {
          latest.set(e.insightId, e.operation);
          if (e.batchId) touched.add(e.batchId);
        }
        const upsertIds = [...latest].filter(([, op]) => op === 'upsert').map(([id]) => id);
        const found = await tx.insightsByIds(upsertIds);
        const foundIds = new Set(found.map((i) => i.id));
        const deleteIds = [...latest]
          .filter(([id, op]) => op === 'delete' || !foundIds.has(id))
          .map(([id]) => id);
        if (found.length) await this.write(found);
        for (const i of found) written.set(i.batchId, (written.get(i.batchId) ?? 0) + 1);
        if (deleteIds.length) await this.gateway.delete(this.index.uid, deleteIds);
        await tx.remove(entries.map((e) => e.id));
        result.upserted += found.length;
        result.deleted += deleteIds.length;
        return true;
      });
      if (!done) break;
      // After the commit, not inside it: the drain must not wait on a batch row lock while it
      // holds outbox rows that a deletion of that batch may be waiting for.
      await this.lifecycle.indexedWhileEnriching(written);
      // Batches move on (and show their indexed count) as each round commits, not only at the end.
      for (const batchId of touched) await this.lifecycle.advance(batchId);
    }
    result.batches = [...touched];
    if (result.upserted || result.deleted)
      this.logger.log(`Indexed ${result.upserted}, removed ${result.deleted}`);
    return result;
  }

  private async write(insights: InsightLike[]): Promise<void> {
    const lookups = await this.themes.lookups();
    const docs = insights.map((i) => toSearchDocument(i, lookups));
    await this.gateway.upsert(this.index.uid, docs);
  }
}
