import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { CandidateComment } from '../../ingestion';
import type { Batch } from '../batches/batch.entity';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import type { InsightTheme } from '../insights/insight.entity';
import type { NewInsight } from '../insights/insights.repository';
import { scoreSentiment } from './tagging/sentiment/sentiment-scorer';
import { TaggingService } from './tagging/tagging.service';
import { Enricher } from './enrich';
import type { PlaceHierarchy } from './places/place-hierarchy';
import { ReferenceDataService } from '../reference/reference-data.service';
import { moderationStatusFor } from '../moderation/review-policy';
import { screenForSafeguarding } from '../moderation/safeguarding';
import { PlaceResolver, type PlaceLookups } from './places/place-resolver';
import { redactField } from './redaction/redactor';
import { referenceHashSecret } from '../config/reference-secret';
import { referenceDedupKey } from '../common/reference-key';

/** Metadata columns whose values are personal by nature: dropped, never stored. */
const PERSONAL_COLUMN =
  /\b(name|e-?mail|phone|mobile|tel(ephone)?|address|nhs ?(no|num|number)|date of birth|dob|postcode|post code|contact)\b/i;
const MAX_METADATA_KEYS = 50;
const MAX_METADATA_VALUE = 500;
/** An answer not placed is shown on the batch page this long at most, after de-identification. */
export const MAX_UNPLACED_VALUE = 40;

export interface EnrichedComment {
  insight: NewInsight;
  /** Keys counted into the batch report (e.g. "unrecognised:ethnicity", "redacted:PHONE"). */
  stats: string[];
  /** Demographic answers not placed, de-identified and cut short, so the uploader can map them. */
  unplaced: Array<{ field: string; value: string }>;
}

/**
 * Turns one parsed comment into an insight: the pure enrichment modules (redaction, place,
 * demographics, language, themes, sentiment) glued together. Raw text goes in; only redacted
 * text comes out.
 */
@Injectable()
export class CommentEnricher {
  readonly hierarchy: PlaceHierarchy;
  private readonly referenceSecret: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    reference: ReferenceDataService,
    private readonly tagging: TaggingService,
  ) {
    this.hierarchy = reference.places;
    this.referenceSecret = referenceHashSecret(config);
  }

  enricherFor(lookups?: Partial<PlaceLookups>): Enricher {
    return new Enricher(new PlaceResolver(this.hierarchy, lookups));
  }

  enrich(enricher: Enricher, batch: Batch, c: CandidateComment): EnrichedComment {
    const e = enricher.enrich({
      text: c.text,
      question: c.question,
      fields: c.fields,
      referenceYear: c.date ? Number(c.date.slice(0, 4)) : undefined,
    });
    const stats: string[] = [];
    for (const [type, n] of Object.entries(e.redaction.summary))
      for (let i = 0; i < (n ?? 0); i++) stats.push(`redacted:${type}`);
    for (const u of e.demographics.unrecognised) stats.push(`unrecognised:${u.field}`);
    if (!e.language.isEnglish) stats.push(`language:${e.language.language}`);

    // Only the comment is screened: questions such as "Have you experienced abuse?" are not disclosures.
    const safeguarding = screenForSafeguarding(e.text).flagged;
    if (safeguarding) stats.push('flagged:safeguarding');

    const themes: InsightTheme[] = this.tagging.tag(e.text, e.question);
    const sentiment = scoreSentiment(e.text, e.question);

    const metadata = this.cleanMetadata(c.metadata, stats);
    // A demographic answer the bank could not place is kept as given (de-identified), so an
    // analyst can see it and the mapping can be extended; the category itself stays `unknown`.
    const unplaced: EnrichedComment['unplaced'] = [];
    for (const u of e.demographics.unrecognised) {
      const raw = c.fields[u.field as keyof typeof c.fields];
      if (!raw) continue;
      const kept = redactField(raw.slice(0, MAX_METADATA_VALUE));
      metadata[`unrecognised_${u.field}`] = kept;
      // Cut after de-identifying, so no identifier is cut in half and missed.
      unplaced.push({ field: u.field, value: cutShort(kept) });
    }
    const service =
      [c.fields.service, c.fields.location]
        .filter(Boolean)
        .map((s) => redactField(s!))
        .join(' / ') || null;
    const contentHash = sha256(
      JSON.stringify([
        e.text.trim().toLowerCase().replace(/\s+/g, ' '),
        e.question ?? null,
        c.date ?? null,
        sortedEntries(c.fields),
      ]),
    );
    // The reference may itself be an identifier (an NHS number as a row id): only a keyed hash of
    // it is kept, and what is shown of it is de-identified like any other field.
    const dedupKey = c.externalRef
      ? referenceDedupKey(this.referenceSecret, `${c.externalRef}|${e.question ?? c.part}`)
      : `hash:${contentHash}`;
    const d = e.demographics;
    return {
      stats,
      unplaced,
      insight: {
        id: randomUUID(),
        batchId: batch.id,
        organisationId: batch.organisationId,
        rowNumber: c.rowNumber,
        part: c.part,
        externalRef: c.externalRef ? redactField(c.externalRef) : null,
        contentHash,
        dedupKey,
        text: e.text,
        question: e.question ?? null,
        commentDate: c.date ?? null,
        sourceType: batch.sourceType,
        // A possible disclosure of risk is for moderators only, whatever the batch's level.
        sharingLevel: safeguarding ? 'restricted' : batch.sharingLevel,
        postcodeDistrict: e.place.postcodeDistrict ?? null,
        ladCode: e.place.ladCode ?? null,
        hcpArea: e.place.hcpArea ?? null,
        service,
        gpPractice: e.place.gpPractice ?? null,
        placeResolvedBy: e.place.resolvedBy,
        ageBand: d.ageBand,
        sex: d.sex,
        genderIdentity: d.genderIdentity,
        ethnicityGroup: d.ethnicityGroup,
        ethnicityDetail: d.ethnicityDetail,
        disability: d.disability,
        carer: d.carer,
        sexualOrientation: d.sexualOrientation,
        religion: d.religion,
        deprivationDecile: d.deprivationDecile,
        themes,
        sentiment: sentiment.label,
        sentimentScore: Math.round(sentiment.score * 1000) / 1000,
        language: e.language.language,
        redaction: e.redaction.summary,
        needsReview: e.redaction.needsReview || safeguarding,
        safeguarding,
        moderationStatus: moderationStatusFor(batch.reviewStatus),
        metadata,
      },
    };
  }

  private cleanMetadata(raw: Record<string, string>, stats: string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw)) {
      if (PERSONAL_COLUMN.test(key)) {
        stats.push('dropped_personal_column');
        continue;
      }
      if (Object.keys(out).length >= MAX_METADATA_KEYS) break;
      out[redactField(key)] = redactField(value.slice(0, MAX_METADATA_VALUE));
    }
    return out;
  }
}

function cutShort(s: string): string {
  const t = s.trim().replace(/\s+/g, ' ');
  return t.length > MAX_UNPLACED_VALUE ? `${t.slice(0, MAX_UNPLACED_VALUE - 1)}…` : t;
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function sortedEntries(o: Record<string, string | undefined>): Array<[string, string]> {
  return Object.entries(o)
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .sort(([a], [b]) => a.localeCompare(b));
}
