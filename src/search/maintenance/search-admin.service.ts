import { Injectable, Logger } from '@nestjs/common';
import { INSIGHTS_INDEX, settingsDiff } from '../../../search-config/insights.index';
import { IndexingService, INDEX_BATCH_SIZE } from '../indexing/indexing.service';
import { SearchIndexService, type ApplyResult } from '../indexing/search-index.service';
import { ThemeLookupService } from '../indexing/theme-lookup.service';
import { INSIGHTS_SETTINGS } from '../insights-index';
import { InsightsQueryRepository, type OutboxRequest } from '../insights-query.repository';
import { IndexGateway } from '../index-gateway';
import { isNotFound } from '../meili/meili-tasks';
import { quoteValue } from '../../common/meili-literal';
import { toSearchDocument } from '../query/search-document';

/** Ids fetched from the index per request while comparing a batch. */
const ID_PAGE = 10_000;
/** Batches whose counts are asked for in one faceted search (below maxValuesPerFacet). */
const BATCHES_PER_COUNT = 100;

export interface ReindexResult {
  index: string;
  documents: number;
  /** Comments changed while the new index was loading, queued again after the swap. */
  caughtUp: number;
  ms: number;
}

export interface BatchDrift {
  batchId: string;
  database: number;
  index: number;
  missing: number;
  extra: number;
}

export interface ReconcileResult {
  batches: number;
  drift: BatchDrift[];
  /** Documents whose batch PostgreSQL does not hold at all. */
  strays: number;
  queuedUpserts: number;
  queuedDeletes: number;
}

export interface IndexStatus {
  index: string;
  exists: boolean;
  documents: number;
  settingsInSync: boolean;
  settingsDiffering: string[];
  outboxBacklog: number;
  databaseInsights: number;
  batchesWithDrift: Array<{ batchId: string; database: number; index: number }>;
  /** Documents in batches PostgreSQL does not hold. */
  strays: number;
}

/**
 * Keeps the index honest against PostgreSQL: settings as code, a full rebuild with an atomic
 * swap, and a per-batch reconciliation that repairs drift in both directions through the outbox.
 */
@Injectable()
export class SearchAdminService {
  private readonly logger = new Logger(SearchAdminService.name);

  constructor(
    private readonly gateway: IndexGateway,
    private readonly index: SearchIndexService,
    private readonly indexing: IndexingService,
    private readonly themes: ThemeLookupService,
    private readonly insights: InsightsQueryRepository,
  ) {}

  get uid(): string {
    return this.index.uid;
  }

  /** Creates the index if needed and changes only the settings that differ. */
  apply(): Promise<ApplyResult> {
    return this.index.apply(this.uid);
  }

  /**
   * Builds a new index beside the live one, loads every insight in id order, swaps the two
   * atomically and drops the old one. Searches keep answering from the live index throughout.
   * Comments written while it loads go to the old index through the outbox; they are queued
   * again after the swap so the new index holds them too.
   */
  async reindex(
    opts: { batchSize?: number; onProgress?: (loaded: number) => void } = {},
  ): Promise<ReindexResult> {
    const started = Date.now();
    const batchSize = Math.max(opts.batchSize ?? INDEX_BATCH_SIZE, 1);
    const live = this.uid;
    const fresh = this.gateway.indexUid(`${INSIGHTS_INDEX}_${Date.now()}`);
    await this.index.apply(live);
    await this.index.apply(fresh);
    const since = await this.insights.databaseNow();
    const lookups = await this.themes.lookups();
    let loaded = 0;
    try {
      let after: string | null = null;
      for (;;) {
        const page = await this.insights.insightsAfter(after, batchSize);
        if (!page.length) break;
        await this.gateway.upsert(
          fresh,
          page.map((i) => toSearchDocument(i, lookups)),
        );
        loaded += page.length;
        opts.onProgress?.(loaded);
        after = page[page.length - 1].id;
        if (page.length < batchSize) break;
      }
      await this.gateway.swap(live, fresh);
    } catch (e) {
      await this.gateway.drop(fresh).catch(() => undefined);
      throw e;
    }
    // After the swap `fresh` names the old documents.
    await this.gateway.drop(fresh);
    const caughtUp = await this.insights.enqueueChangedSince(since);
    if (caughtUp) await this.indexing.drain();
    this.logger.log(`Rebuilt ${live}: ${loaded} documents`);
    return { index: live, documents: loaded, caughtUp, ms: Date.now() - started };
  }

  /**
   * Compares every batch's insight ids in PostgreSQL with the ids the index holds for it, and
   * repairs both ways: missing documents are queued for upsert, extra ones for deletion, and the
   * outbox is drained. Documents of batches PostgreSQL no longer holds are removed too.
   */
  async reconcile(opts: { repair?: boolean } = {}): Promise<ReconcileResult> {
    const repair = opts.repair ?? true;
    await this.index.ensureReady();
    const batches = await this.insights.batchCounts();
    const drift: BatchDrift[] = [];
    const queue: OutboxRequest[] = [];
    for (const batchId of batches.keys()) {
      const inDatabase = await this.insights.idsOfBatch(batchId);
      const inIndex = await this.indexIds(`batchId = ${quoteValue(batchId)}`);
      const dbSet = new Set(inDatabase);
      const missing = inDatabase.filter((id) => !inIndex.has(id));
      const extra = [...inIndex].filter((id) => !dbSet.has(id));
      if (missing.length || extra.length) {
        drift.push({
          batchId,
          database: inDatabase.length,
          index: inIndex.size,
          missing: missing.length,
          extra: extra.length,
        });
      }
      for (const id of missing) queue.push({ insightId: id, batchId, operation: 'upsert' });
      for (const id of extra) queue.push({ insightId: id, batchId, operation: 'delete' });
    }
    const strays = await this.strayIds([...batches.keys()]);
    for (const id of strays) queue.push({ insightId: id, batchId: null, operation: 'delete' });

    if (repair && queue.length) {
      await this.insights.enqueue(queue);
      await this.indexing.drain();
    }
    return {
      batches: batches.size,
      drift,
      strays: strays.length,
      queuedUpserts: queue.filter((q) => q.operation === 'upsert').length,
      queuedDeletes: queue.filter((q) => q.operation === 'delete').length,
    };
  }

  /** What an operator needs to know before trusting search results. Changes nothing. */
  async status(): Promise<IndexStatus> {
    const uid = this.uid;
    const batches = await this.insights.batchCounts();
    const databaseInsights = [...batches.values()].reduce((a, b) => a + b, 0);
    const outboxBacklog = await this.insights.outboxBacklog();
    let stats: { numberOfDocuments: number };
    try {
      stats = await this.gateway.stats(uid);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      return {
        index: uid,
        exists: false,
        documents: 0,
        settingsInSync: false,
        settingsDiffering: Object.keys(INSIGHTS_SETTINGS),
        outboxBacklog,
        databaseInsights,
        batchesWithDrift: [...batches].map(([batchId, n]) => ({ batchId, database: n, index: 0 })),
        strays: 0,
      };
    }
    const live = await this.gateway.settings(uid);
    const differing = settingsDiff(live, INSIGHTS_SETTINGS).map((d) => d.setting);
    const indexCounts = await this.batchDocumentCounts([...batches.keys()]);
    const batchesWithDrift = [...batches]
      .map(([batchId, n]) => ({ batchId, database: n, index: indexCounts.get(batchId) ?? 0 }))
      .filter((b) => b.database !== b.index);
    const inKnownBatches = [...indexCounts.values()].reduce((a, b) => a + b, 0);
    return {
      index: uid,
      exists: true,
      documents: stats.numberOfDocuments,
      settingsInSync: differing.length === 0,
      settingsDiffering: differing,
      outboxBacklog,
      databaseInsights,
      batchesWithDrift,
      strays: Math.max(stats.numberOfDocuments - inKnownBatches, 0),
    };
  }

  /** Exact document counts per batch, from faceted searches over groups of batches. */
  private async batchDocumentCounts(batchIds: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (let i = 0; i < batchIds.length; i += BATCHES_PER_COUNT) {
      const group = batchIds.slice(i, i + BATCHES_PER_COUNT);
      const res = await this.gateway.search<{
        facetDistribution?: Record<string, Record<string, number>>;
      }>(this.uid, {
        q: '',
        filter: `batchId IN [${group.map(quoteValue).join(', ')}]`,
        facets: ['batchId'],
        hitsPerPage: 0,
        page: 1,
      });
      for (const [id, n] of Object.entries(res.facetDistribution?.batchId ?? {})) out.set(id, n);
    }
    return out;
  }

  /** Ids of documents whose batch is not among `known`. */
  private async strayIds(known: string[]): Promise<string[]> {
    const filter = known.length
      ? `batchId NOT IN [${known.map(quoteValue).join(', ')}]`
      : undefined;
    return [...(await this.indexIds(filter))];
  }

  /** Every document id matching a filter, read with `fields=id` a page at a time. */
  private async indexIds(filter: string | undefined): Promise<Set<string>> {
    const ids = new Set<string>();
    for (let offset = 0; ; offset += ID_PAGE) {
      const res = await this.gateway.documents<{ id: string }>(this.uid, {
        fields: ['id'],
        limit: ID_PAGE,
        offset,
        ...(filter === undefined ? {} : { filter }),
      });
      for (const d of res.results) ids.add(d.id);
      if (res.results.length < ID_PAGE) return ids;
    }
  }
}
