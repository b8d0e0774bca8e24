import { Injectable, Logger } from '@nestjs/common';
import { PipelineQueues } from '../queues/pipeline-queues';
import { TaggingService } from '../enrichment/tagging/tagging.service';
import { InsightTagsRepository } from './insight-tags.repository';
import { mergeRetag, sameThemes } from './retag';

export const RETAG_PAGE_SIZE = 5_000;

export interface RetagPayload {
  version: number;
}

export interface RetagReport {
  version: number;
  scanned: number;
  changed: number;
}

export function parseRetagPayload(data: unknown): RetagPayload {
  const v = (data as { version?: unknown } | null)?.version;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new Error('retag job needs a positive whole taxonomy version');
  return { version: v };
}

/**
 * Re-tags every insight with the current rules, a page at a time (keyset by id). A person's tags
 * and rejections are kept; only insights whose themes change are rewritten, each page in one
 * transaction with its index outbox rows, so the search documents follow.
 */
@Injectable()
export class RetagService {
  private readonly logger = new Logger(RetagService.name);

  constructor(
    private readonly tagging: TaggingService,
    private readonly insights: InsightTagsRepository,
    private readonly queues: PipelineQueues,
  ) {}

  async enqueue(version: number): Promise<void> {
    await this.queues.requestRetag(version);
  }

  async run(payload: RetagPayload, pageSize = RETAG_PAGE_SIZE): Promise<RetagReport> {
    const snap = await this.tagging.refresh();
    const report: RetagReport = { version: snap.taxonomyVersion, scanned: 0, changed: 0 };
    if (snap.taxonomyVersion < payload.version) {
      throw new Error(
        `taxonomy version ${payload.version} is not visible yet (have ${snap.taxonomyVersion})`,
      );
    }
    const isActive = (code: string) => snap.taxonomy.byCode(code) !== undefined;
    let after: string | undefined;
    for (;;) {
      const page = await this.insights.page(after, pageSize);
      if (!page.length) break;
      after = page[page.length - 1].id;
      report.scanned += page.length;
      const fresh = new Map(
        page.map((i) => [i.id, this.tagging.ruleTags(snap, i.text, i.question)]),
      );
      report.changed += await this.insights.transaction(async (tx) => {
        const ids = page.map((i) => i.id);
        const current = await tx.lockThemes(ids);
        const rejected = await tx.rejectedCodes(ids);
        const changed: Array<{ id: string; themes: (typeof page)[number]['themes'] }> = [];
        for (const [id, themes] of current) {
          const next = mergeRetag(
            themes,
            fresh.get(id) ?? [],
            isActive,
            rejected.get(id) ?? new Set(),
          );
          if (!sameThemes(themes, next)) changed.push({ id, themes: next });
        }
        await tx.setThemesMany(changed);
        await tx.queueForIndexing(changed.map((c) => c.id));
        return changed.length;
      });
      if (page.length < pageSize) break;
    }
    if (report.changed > 0) {
      await this.queues.requestDrain();
    }
    this.logger.log(report, 'Re-tagged insights after a taxonomy change');
    return report;
  }
}
