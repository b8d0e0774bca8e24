import { Injectable, Logger } from '@nestjs/common';
import {
  INSIGHTS_INDEX,
  INSIGHTS_PRIMARY_KEY,
  settingsDiff,
} from '../../../search-config/insights.index';
import { FILTERABLE_ATTRIBUTES, INSIGHTS_SETTINGS } from '../insights-index';
import { IndexGateway } from '../index-gateway';
import { OutboxRepository } from './outbox.repository';

export interface ApplyResult {
  index: string;
  created: boolean;
  changed: string[];
}

/** The insights index as code: created with its settings before any document goes in. */
@Injectable()
export class SearchIndexService {
  private readonly logger = new Logger(SearchIndexService.name);
  private ready?: Promise<ApplyResult>;

  constructor(
    private readonly gateway: IndexGateway,
    private readonly outbox: OutboxRepository,
  ) {}

  get uid(): string {
    return this.gateway.indexUid(INSIGHTS_INDEX);
  }

  /**
   * Once per process: make sure the index exists with the wanted settings and that its documents
   * have every field the search document now has.
   */
  ensureReady(): Promise<ApplyResult> {
    this.ready ??= this.apply(this.uid)
      .then(async (result) => {
        await this.requeueOutdatedDocuments(this.uid);
        return result;
      })
      .catch((e: unknown) => {
        this.ready = undefined;
        throw e;
      });
    return this.ready;
  }

  /**
   * A field added to the search document (an entry in src/insights/insight-fields.ts) becomes a
   * setting at once, but documents written before it lack it, and a settings change does not add
   * it to them. When any document lacks a filterable field, every comment is queued to be indexed
   * again; the sweeper starts the index job, which rewrites them in large batches.
   */
  private async requeueOutdatedDocuments(uid: string): Promise<void> {
    const res = await this.gateway.search<{ totalHits?: number }>(uid, {
      q: '',
      filter: [FILTERABLE_ATTRIBUTES.map((attribute) => `${attribute} NOT EXISTS`)],
      hitsPerPage: 0,
      page: 1,
    });
    if (!res.totalHits) return;
    const queued = await this.outbox.requestUpsertOfEveryInsight();
    this.logger.log(
      `Index ${uid}: documents lack fields of the search document; ${queued} comments queued to be indexed again`,
    );
  }

  /** Creates the index if needed, then changes settings only where the live ones differ. */
  async apply(uid: string): Promise<ApplyResult> {
    let created = false;
    if (!(await this.gateway.exists(uid))) {
      await this.gateway.create(uid, INSIGHTS_PRIMARY_KEY);
      created = true;
    }
    const live = await this.gateway.settings(uid);
    const diff = settingsDiff(live, INSIGHTS_SETTINGS);
    if (diff.length) {
      const patch = Object.fromEntries(
        diff.map((d) => [d.setting, (INSIGHTS_SETTINGS as Record<string, unknown>)[d.setting]]),
      );
      await this.gateway.updateSettings(uid, patch);
      this.logger.log(`Index ${uid}: settings changed (${diff.map((d) => d.setting).join(', ')})`);
    }
    return { index: uid, created, changed: diff.map((d) => d.setting) };
  }
}
