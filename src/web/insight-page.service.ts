import { Injectable } from '@nestjs/common';
import { actorCan, type Actor } from '../access/actor';
import { BatchesService } from '../batches/batches.service';
import type { BatchView } from '../batches/dto/batch-view';
import { DomainError } from '../common/domain-error';
import { SearchService } from '../search/search.service';
import { TaggingService } from '../enrichment/tagging/tagging.service';
import { REVIEW_ACTIONS, type ReviewAction } from '../taxonomy/dto/review.dto';
import { InsightReviewService } from '../taxonomy/insight-review.service';
import type { FieldError } from './forms';
import { label, languageName, longDate } from './labels';
import { DEMOGRAPHIC_FILTERS } from './search-view';

const THEME_CODE = /^[a-z][a-z0-9_]{0,63}$/;

const PROVENANCE: Record<string, string> = {
  rule: 'Tagged by a rule',
  model: 'Tagged by the model',
  human: 'Confirmed by a person',
};

const DONE: Record<ReviewAction, string> = {
  accept: 'accepted',
  reject: 'removed',
  add: 'added',
};

export interface TagReview {
  action: ReviewAction;
  theme: string;
}

/** The insight page: one comment in the caller's scope, its batch, and tag review for reviewers. */
@Injectable()
export class InsightPageService {
  constructor(
    private readonly search: SearchService,
    private readonly batches: BatchesService,
    private readonly review: InsightReviewService,
    private readonly tagging: TaggingService,
  ) {}

  async model(actor: Actor, id: string): Promise<Record<string, unknown>> {
    const insight = await this.search.view(id, actor); // hidden answers 404, like missing
    const canReview = actorCan(actor, 'insights.review');
    const [batch, snapshot, events] = await Promise.all([
      this.batches.get(insight.batchId, actor.scope).catch((e: unknown) => {
        if (e instanceof DomainError && e.code === 'not_found') return null;
        throw e;
      }),
      this.tagging.refresh(),
      canReview ? this.review.events(id) : Promise.resolve([]),
    ]);
    const carried = new Set(insight.themes.map((t) => t.code));
    const name = (code: string): string => snapshot.taxonomy.byCode(code)?.name ?? code;
    return {
      insight: {
        id: insight.id,
        text: insight.text,
        question: insight.question,
        date: longDate(insight.date),
        sentiment: label(insight.sentiment),
        place: {
          district: insight.place.districtName,
          hcpArea: insight.place.hcpArea,
          postcodeDistrict: insight.place.postcodeDistrict,
        },
        sourceType: label(insight.sourceType),
        language: languageName(insight.language),
        sharingLevel: label(insight.sharingLevel),
        needsReview: insight.needsReview,
        safeguarding: insight.safeguarding,
        demographics: insight.demographics
          ? DEMOGRAPHIC_FILTERS.filter((d) => insight.demographics?.[d.name]).map((d) => ({
              key: { text: d.text },
              value: { text: label(insight.demographics?.[d.name]) },
            }))
          : null,
        themes: insight.themes.map((t) => ({
          code: t.code,
          name: name(t.code),
          provenance: PROVENANCE[t.provenance] ?? label(t.provenance),
          human: t.provenance === 'human',
          confidence: `${Math.round(t.confidence * 100)}%`,
        })),
      },
      batch: batch && batchModel(batch),
      canReview,
      addableThemes: canReview
        ? [
            { value: '', text: 'Choose a theme' },
            ...snapshot.taxonomy.themes
              .filter((t) => !carried.has(t.code))
              .map((t) => ({ value: t.code, text: t.name }))
              .sort((a, b) => a.text.localeCompare(b.text)),
          ]
        : [],
      events: events.map((e) => ({
        at: longDate(e.at),
        actor: e.actor,
        action:
          e.action === 'sentiment'
            ? 'Sentiment changed'
            : e.action === 'correction'
              ? 'Corrected by re-upload'
              : `Theme ${DONE[e.action as ReviewAction] ?? e.action}`,
        theme: e.theme ? name(e.theme) : '',
      })),
    };
  }

  /** Reads the review form; problems are reported against the control they belong to. */
  parseReview(body: unknown): { review?: TagReview; problems: FieldError[] } {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const action = typeof b.action === 'string' ? b.action : '';
    const theme = typeof b.theme === 'string' ? b.theme.trim() : '';
    if (!(REVIEW_ACTIONS as readonly string[]).includes(action))
      return { problems: [{ field: 'theme', message: 'Choose accept, remove or add' }] };
    if (!THEME_CODE.test(theme))
      return {
        problems: [
          {
            field: 'theme',
            message: action === 'add' ? 'Select a theme to add' : 'Choose a theme on this comment',
          },
        ],
      };
    return { review: { action: action as ReviewAction, theme }, problems: [] };
  }

  /** Applies a review the caller may make to an insight they can see; returns the banner text. */
  async applyReview(actor: Actor, id: string, r: TagReview): Promise<string> {
    await this.review.reviewTag(id, r.action, r.theme, actor);
    const theme = this.tagging.current().taxonomy.byCode(r.theme)?.name ?? r.theme;
    return `Theme ‘${theme}’ ${DONE[r.action]}.`;
  }
}

function batchModel(b: BatchView): Record<string, unknown> {
  const from = longDate(b.collectedFrom);
  const to = longDate(b.collectedTo);
  return {
    title: b.title,
    organisation: b.organisation.name ?? b.organisation.code ?? '',
    sourceType: label(b.sourceType),
    collectionMethod: b.collectionMethod ? label(b.collectionMethod) : '',
    collected: from && to ? `${from} to ${to}` : from ? `From ${from}` : to ? `Until ${to}` : '',
    sharingLevel: label(b.sharingLevel),
  };
}
