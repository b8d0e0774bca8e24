import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '../access/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError, invalidInput, notFound } from '../common/domain-error';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { redact, redactField } from '../enrichment/redaction/redactor';
import { PII_TYPES, type PiiType } from '../enrichment/redaction/redaction.types';
import { PipelineQueues } from '../queues/pipeline-queues';
import type {
  BatchDecisionView,
  InsightDecisionView,
  ItemFlag,
  ModerationBatchView,
  ModerationItemView,
  Page,
  SafeguardingItemView,
} from './dto/moderation.dto';
import { ModerationRepository, type ItemRow } from './moderation.repository';
import { screenForSafeguarding } from './safeguarding';

export type Decision = 'approve' | 'reject';

/** Batch statuses in which every item has been stored, so a moderator has seen what they approve. */
const FINISHED = ['complete', 'partially_failed', 'failed'];

const PLACEHOLDER = new RegExp(`\\[(${PII_TYPES.join('|')})\\]`, 'g');

/** Identifiers a text holds as placeholders, by type: what is left redacted after a correction. */
export function placeholderCounts(...texts: Array<string | null>): Record<string, number> {
  const counts: Partial<Record<PiiType, number>> = {};
  for (const t of texts) {
    for (const m of (t ?? '').matchAll(PLACEHOLDER)) {
      const type = m[1] as PiiType;
      counts[type] = (counts[type] ?? 0) + 1;
    }
  }
  return counts;
}

/**
 * A moderator's free-text reason, de-identified and trimmed; null when there is none. A reason is
 * a short field, so a bare ten-digit number passing the NHS check digit is taken as one too.
 */
function cleanReason(reason: string | undefined): string | null {
  const t = reason?.trim();
  return t ? redactField(t) : null;
}

function pageOf(page: number, pageSize: number): { limit: number; offset: number } {
  return { limit: pageSize, offset: (page - 1) * pageSize };
}

export function toItemView(r: ItemRow): ModerationItemView {
  const screen = screenForSafeguarding(r.text);
  return {
    id: r.id,
    batchId: r.batch_id,
    organisationId: r.organisation_id,
    rowNumber: r.row_number,
    part: r.part,
    text: r.text,
    question: r.question,
    sharingLevel: r.sharing_level,
    moderationStatus: r.moderation_status,
    needsReview: r.needs_review,
    safeguarding: r.safeguarding,
    safeguardingCategories: screen.categories,
    safeguardingMatches: screen.matches,
    redaction: r.redaction,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/**
 * Moderation: the review queue, approving or rejecting batches and single items, correcting a
 * redaction, and the safeguarding list. Every change to an insight queues its search document in
 * the same transaction, so the index follows (see the outbox in src/search/indexing). Each
 * decision records its own audit row, so the API and the moderation pages audit alike.
 */
@Injectable()
export class ModerationService {
  constructor(
    private readonly repo: ModerationRepository,
    private readonly queues: PipelineQueues,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async awaitingBatches(page: number, pageSize: number): Promise<Page<ModerationBatchView>> {
    const { limit, offset } = pageOf(page, pageSize);
    const { rows, total } = await this.repo.awaitingBatches(limit, offset);
    const counts = await this.repo.itemCounts(rows.map((r) => r.id));
    return {
      items: rows.map((b) => {
        const c = counts.get(b.id);
        return {
          id: b.id,
          organisation: {
            id: b.org_id,
            code: b.org_code,
            name: b.org_name,
            trusted: b.org_trusted,
          },
          title: b.title,
          sourceType: b.source_type,
          sharingLevel: b.sharing_level,
          status: b.status,
          reviewStatus: b.review_status,
          uploadedAt: b.created_at.toISOString(),
          counts: {
            items: c?.items ?? 0,
            pending: c?.pending ?? 0,
            piiFlagged: c?.pii ?? 0,
            needsReview: c?.needs_review ?? 0,
            safeguarding: c?.safeguarding ?? 0,
          },
          links: {
            batch: `/api/v1/batches/${b.id}`,
            items: `/api/v1/moderation/batches/${b.id}/items`,
            approve: `/api/v1/moderation/batches/${b.id}/approve`,
            reject: `/api/v1/moderation/batches/${b.id}/reject`,
          },
        };
      }),
      total,
      page,
      pageSize,
    };
  }

  async batchItems(
    batchId: string,
    flag: ItemFlag,
    page: number,
    pageSize: number,
  ): Promise<Page<ModerationItemView>> {
    if (!(await this.repo.batchExists(batchId))) throw notFound('Batch', batchId);
    const { limit, offset } = pageOf(page, pageSize);
    const { rows, total } = await this.repo.items(batchId, flag, limit, offset);
    return { items: rows.map(toItemView), total, page, pageSize };
  }

  async safeguardingItems(page: number, pageSize: number): Promise<Page<SafeguardingItemView>> {
    const { limit, offset } = pageOf(page, pageSize);
    const { rows, total } = await this.repo.safeguardingItems(limit, offset);
    return {
      items: rows.map((r) => ({
        ...toItemView(r),
        organisation: { code: r.org_code, name: r.org_name },
        batchTitle: r.batch_title,
      })),
      total,
      page,
      pageSize,
    };
  }

  /**
   * Approves or rejects a batch awaiting review, and with it every item still pending. A batch is
   * approved only once it has finished processing, so nothing is approved unseen; it can be
   * rejected at any time (items stored later arrive rejected).
   */
  async decideBatch(
    id: string,
    decision: Decision,
    actor: Actor,
    reason?: string,
  ): Promise<BatchDecisionView> {
    const note = cleanReason(reason);
    const view = await this.repo.transaction(async (tx) => {
      const batch = await tx.lockBatch(id);
      if (!batch) throw notFound('Batch', id);
      if (batch.review_status !== 'awaiting_review')
        throw new DomainError('conflict', `Batch ${id} was already ${batch.review_status}`);
      if (decision === 'approve' && !FINISHED.includes(batch.status))
        throw new DomainError(
          'conflict',
          `Batch ${id} is still being processed (${batch.status}); approve it once it is complete`,
        );
      const review = decision === 'approve' ? 'approved' : 'rejected';
      const reviewedAt = await tx.setBatchReview(id, review, actor.principal.label, note);
      const itemsChanged = await tx.settlePending(id, review);
      return { id, reviewStatus: review, reviewedAt: reviewedAt.toISOString(), itemsChanged };
    });
    if (view.itemsChanged) await this.requestIndexing();
    await this.audit.record(actor, {
      action: decision === 'approve' ? 'batch.approve' : 'batch.reject',
      targetType: 'batch',
      targetId: id,
      details: { itemsChanged: view.itemsChanged, ...(note ? { reason: note } : {}) },
    });
    return view;
  }

  /** Approves or rejects one item; a moderator's decision also settles its review flag. */
  async decideInsight(
    id: string,
    decision: Decision,
    actor: Actor,
    reason?: string,
  ): Promise<InsightDecisionView> {
    const note = cleanReason(reason);
    const view = await this.repo.transaction(async (tx) => {
      const row = await tx.lockItem(id);
      if (!row) throw notFound('Insight', id);
      const updated = await tx.updateItem(id, {
        moderationStatus: decision === 'approve' ? 'approved' : 'rejected',
        needsReview: false,
      });
      return {
        id,
        batchId: updated.batch_id,
        moderationStatus: updated.moderation_status,
        needsReview: updated.needs_review,
        previous: row.moderation_status,
      };
    });
    await this.requestIndexing();
    const { previous, ...decided } = view;
    await this.audit.record(actor, {
      action: decision === 'approve' ? 'insight.approve' : 'insight.reject',
      targetType: 'insight',
      targetId: id,
      details: { batchId: decided.batchId, from: previous, ...(note ? { reason: note } : {}) },
    });
    return decided;
  }

  /**
   * Replaces an item's text with a moderator's correction, de-identified again first: identifiers
   * typed back in are removed just as at upload. The safeguarding screen runs on the new text too;
   * a match flags and restricts the item, and a flag is never cleared by an edit. The audit row
   * holds counts only: neither the old nor the new text is written to the audit log.
   */
  async correctText(
    id: string,
    text: string,
    actor: Actor,
  ): Promise<{ item: ModerationItemView; removed: Record<string, number> }> {
    const max = this.config.MAX_COMMENT_LENGTH;
    if (text.length > max)
      throw invalidInput(`text must be at most ${max} characters`, { field: 'text' });
    const redacted = redact(text);
    const clean = redacted.text.trim();
    if (!clean) throw invalidInput('text must not be empty', { field: 'text' });
    const screen = screenForSafeguarding(clean);

    const result = await this.repo.transaction(async (tx) => {
      const row = await tx.lockItem(id);
      if (!row) throw notFound('Insight', id);
      const newlyFlagged = screen.flagged && !row.safeguarding;
      const updated = await tx.updateItem(id, {
        text: clean,
        redaction: placeholderCounts(clean, row.question),
        safeguarding: row.safeguarding || screen.flagged,
        ...(screen.flagged ? { sharingLevel: 'restricted' } : {}),
        // The moderator has just read it, unless the correction itself raised a new concern.
        needsReview: newlyFlagged,
      });
      return { item: toItemView(updated), before: row.redaction };
    });
    await this.requestIndexing();
    const { item, before } = result;
    await this.audit.record(actor, {
      action: 'insights.redaction_edit',
      targetType: 'insight',
      targetId: id,
      details: {
        batchId: item.batchId,
        redactionBefore: before,
        redactionAfter: item.redaction,
        removedFromCorrection: redacted.summary,
        safeguarding: item.safeguarding,
      },
    });
    return { item, removed: redacted.summary };
  }

  /**
   * A moderator has dealt with a safeguarding concern, or found none: the flag is cleared and the
   * item goes back to its batch's sharing level (the screen made it `restricted`). Its moderation
   * status is left as it was. The reason is required, de-identified, and kept in the audit log.
   */
  async clearSafeguarding(id: string, reason: string, actor: Actor): Promise<ModerationItemView> {
    const note = cleanReason(reason);
    if (!note)
      throw invalidInput('reason is required: say how the concern was dealt with', {
        field: 'reason',
      });
    const item = await this.repo.transaction(async (tx) => {
      const row = await tx.lockItem(id);
      if (!row) throw notFound('Insight', id);
      if (!row.safeguarding)
        throw new DomainError('conflict', `Insight ${id} has no safeguarding flag to clear`);
      const sharingLevel = await tx.batchSharingLevel(row.batch_id);
      return toItemView(
        await tx.updateItem(id, {
          safeguarding: false,
          sharingLevel,
          needsReview: false,
        }),
      );
    });
    await this.requestIndexing();
    await this.audit.record(actor, {
      action: 'insight.safeguarding_clear',
      targetType: 'insight',
      targetId: id,
      details: { batchId: item.batchId, reason: note, sharingLevel: item.sharingLevel },
    });
    return item;
  }

  /** The outbox rows are committed; if Redis is down the sweeper drains them later. */
  private async requestIndexing(): Promise<void> {
    await this.queues.requestDrain().catch(() => undefined);
  }
}
