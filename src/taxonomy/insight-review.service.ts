import { Injectable } from '@nestjs/common';
import type { Actor } from '../access/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError, invalidInput, notFound } from '../common/domain-error';
import type { InsightTheme, Sentiment } from '../insights/insight.entity';
import { PipelineQueues } from '../queues/pipeline-queues';
import { SearchService } from '../search/search.service';
import { TaggingService } from '../enrichment/tagging/tagging.service';
import type { ReviewAction, ReviewedInsightView, TagEventView } from './dto/review.dto';
import { InsightTagsRepository } from './insight-tags.repository';

/**
 * A person's review of an insight: accept, reject or add a theme, or correct its sentiment. Each
 * updates the insight, records a tag event and queues the search document in one transaction,
 * then writes the audit row, for the API and the insight page alike. Reviewers act only on
 * insight they can see; anything else is "not found", as if it did not exist.
 */
@Injectable()
export class InsightReviewService {
  constructor(
    private readonly insights: InsightTagsRepository,
    private readonly tagging: TaggingService,
    private readonly queues: PipelineQueues,
    private readonly search: SearchService,
    private readonly audit: AuditService,
  ) {}

  async reviewTag(
    id: string,
    action: ReviewAction,
    code: string,
    actor: Actor,
  ): Promise<ReviewedInsightView> {
    await this.search.get(id, actor);
    if (action === 'add' && !(await this.tagging.refresh()).taxonomy.byCode(code))
      throw invalidInput(`theme: ${code} is not an active theme`, { field: 'theme' });
    const view = await this.insights.transaction(async (tx) => {
      const row = await tx.lock(id);
      if (!row) throw notFound('Insight', id);
      const before = row.themes;
      const present = before.find((t) => t.code === code);
      let after: InsightTheme[];
      switch (action) {
        case 'accept':
          if (!present)
            throw new DomainError(
              'conflict',
              `Theme ${code} is not on insight ${id}; add it instead`,
            );
          after = before.map((t) =>
            t.code === code ? { code, provenance: 'human', confidence: 1 } : t,
          );
          break;
        case 'reject':
          after = before.filter((t) => t.code !== code);
          break;
        case 'add':
          after = present
            ? before.map((t) =>
                t.code === code ? { code, provenance: 'human', confidence: 1 } : t,
              )
            : [...before, { code, provenance: 'human', confidence: 1 }];
          break;
      }
      await tx.setThemes(id, after);
      await tx.addEvent({
        insightId: id,
        actor: actor.principal.label,
        action,
        themeCode: code,
        before,
        after,
      });
      await tx.queueForIndexing([id]);
      return { id, themes: after, sentiment: row.sentiment };
    });
    await this.requestIndexing();
    await this.audit.record(actor, {
      action: 'insights.tag_edit',
      targetType: 'insight',
      targetId: id,
      details: { action, theme: code },
    });
    return view;
  }

  async setSentiment(id: string, sentiment: Sentiment, actor: Actor): Promise<ReviewedInsightView> {
    await this.search.get(id, actor);
    const view = await this.insights.transaction(async (tx) => {
      const row = await tx.lock(id);
      if (!row) throw notFound('Insight', id);
      await tx.setSentiment(id, sentiment);
      await tx.addEvent({
        insightId: id,
        actor: actor.principal.label,
        action: 'sentiment',
        themeCode: null,
        before: { sentiment: row.sentiment },
        after: { sentiment },
      });
      await tx.queueForIndexing([id]);
      return { id, themes: row.themes, sentiment };
    });
    await this.requestIndexing();
    await this.audit.record(actor, {
      action: 'insights.sentiment_edit',
      targetType: 'insight',
      targetId: id,
      details: { sentiment },
    });
    return view;
  }

  async events(id: string): Promise<TagEventView[]> {
    if (!(await this.insights.exists(id))) throw notFound('Insight', id);
    return (await this.insights.eventsFor(id)).map((e) => ({
      id: e.id,
      actor: e.actor,
      action: e.action,
      theme: e.themeCode,
      before: e.before,
      after: e.after,
      at: e.at.toISOString(),
    }));
  }

  /** The outbox row is already committed; if Redis is down the sweeper drains it later. */
  private async requestIndexing(): Promise<void> {
    await this.queues.requestDrain().catch(() => undefined);
  }
}
