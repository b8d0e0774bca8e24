import { Injectable } from '@nestjs/common';
import type { Actor } from '../access/actor';
import { BatchesService } from '../batches/batches.service';
import { parsePageNumber } from '../common/paging';
import { ITEM_FLAGS, type ItemFlag } from '../moderation/dto/moderation.dto';
import { ModerationService, type Decision } from '../moderation/moderation.service';
import { batchPageView, dateTime } from './batches-view';
import { formErrors, type FieldError } from './forms';
import { label, longDate } from './labels';
import { itemPageView } from './moderation-view';
import { pagination, urlWith, type QueryString } from './search-view';

const PAGE_SIZE = 20;

const FLAG_TEXT: Record<ItemFlag, string> = {
  all: 'All items',
  pii: 'Personal details removed',
  needs_review: 'Needs review',
  safeguarding: 'Safeguarding',
};

function one(query: QueryString, name: string): string {
  const v = query[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s.trim() : '';
}

function pageOf(query: QueryString): number {
  return parsePageNumber(query.page) ?? 1;
}

export function decisionOf(raw: string): Decision | null {
  return raw === 'approve' || raw === 'reject' ? raw : null;
}

/** Where the review page of a batch is, keeping the list's filter and page. */
export function reviewPath(batchId: string, flag: string, page: number): string {
  return urlWith(
    `/moderation/batches/${batchId}`,
    {},
    {
      flag: flag && flag !== 'all' ? flag : undefined,
      page: page > 1 ? String(page) : undefined,
    },
  );
}

/**
 * The moderation pages' models: the queue, a batch's review and the safeguarding list. Decisions
 * and corrections go straight to the moderation service, which audits them as for the API.
 */
@Injectable()
export class ModerationPageService {
  constructor(
    private readonly moderation: ModerationService,
    private readonly batches: BatchesService,
  ) {}

  async queue(query: QueryString): Promise<Record<string, unknown>> {
    const pageNumber = pageOf(query);
    const result = await this.moderation.awaitingBatches(pageNumber, PAGE_SIZE);
    return {
      total: result.total,
      rows: result.items.map((b) => ({
        href: `/moderation/batches/${b.id}`,
        title: b.title,
        organisation: b.organisation.name,
        sourceType: label(b.sourceType),
        uploaded: longDate(b.uploadedAt.slice(0, 10)),
        finished: ['complete', 'partially_failed', 'failed'].includes(b.status),
        status: label(b.status),
        counts: b.counts,
      })),
      pages: pagination(result.total, pageNumber, PAGE_SIZE, Infinity, (n) =>
        urlWith('/moderation', {}, { page: n === 1 ? undefined : String(n) }),
      ),
    };
  }

  /** A batch's review page; `problems` and `values` when a form on it came back. */
  async review(
    actor: Actor,
    batchId: string,
    query: QueryString,
    problems: FieldError[] = [],
    values: Record<string, string> = {},
  ): Promise<Record<string, unknown>> {
    const rawFlag = one(query, 'flag') || 'all';
    const flag: ItemFlag = (ITEM_FLAGS as readonly string[]).includes(rawFlag)
      ? (rawFlag as ItemFlag)
      : 'all';
    const pageNumber = pageOf(query);
    const [batch, items] = await Promise.all([
      this.batches.get(batchId, actor.scope),
      this.moderation.batchItems(batchId, flag, pageNumber, PAGE_SIZE),
    ]);
    const first = (pageNumber - 1) * PAGE_SIZE + 1;
    return {
      batch: batchPageView(batch),
      uploaded: dateTime(batch.timings.createdAt),
      finished: ['complete', 'partially_failed', 'failed'].includes(batch.status),
      awaiting: batch.reviewStatus === 'awaiting_review',
      flag,
      pageNumber,
      flagItems: ITEM_FLAGS.map((f) => ({ value: f, text: FLAG_TEXT[f], selected: f === flag })),
      flagText: FLAG_TEXT[flag],
      items: items.items.map((i) => ({
        ...itemPageView(i),
        correction: values[`text-${i.id}`] ?? i.text,
      })),
      total: items.total,
      firstShown: first,
      lastShown: first + items.items.length - 1,
      pages: pagination(items.total, pageNumber, PAGE_SIZE, Infinity, (n) =>
        reviewPath(batchId, flag, n),
      ),
      reason: values.reason ?? '',
      errors: formErrors(problems),
    };
  }

  async safeguarding(
    query: QueryString,
    problems: FieldError[] = [],
    values: Record<string, string> = {},
  ): Promise<Record<string, unknown>> {
    const pageNumber = pageOf(query);
    const result = await this.moderation.safeguardingItems(pageNumber, PAGE_SIZE);
    const first = (pageNumber - 1) * PAGE_SIZE + 1;
    return {
      total: result.total,
      firstShown: first,
      lastShown: first + result.items.length - 1,
      items: result.items.map((i) => ({
        ...itemPageView(i),
        organisation: i.organisation.name,
        batchTitle: i.batchTitle,
        batchHref: `/moderation/batches/${i.batchId}?flag=safeguarding`,
        flagged: longDate(i.createdAt.slice(0, 10)),
        reason: values[`reason-${i.id}`] ?? '',
      })),
      pageNumber,
      errors: formErrors(problems),
      pages: pagination(result.total, pageNumber, PAGE_SIZE, Infinity, (n) =>
        urlWith('/moderation/safeguarding', {}, { page: n === 1 ? undefined : String(n) }),
      ),
    };
  }
}
