import { Demographics, normaliseDemographics } from './demographics/demographics';
import { detectLanguage, DetectedLanguage } from './language/language-detector';
import { PlaceResolver, PlaceResult } from './places/place-resolver';
import { redact } from './redaction/redactor';
import { PiiEntity, PiiType } from './redaction/redaction.types';

/**
 * `fields` uses the canonical names a mapping profile produces: postcode, postcodeDistrict,
 * district, practiceCode, service, location, age, sex, gender, ethnicity, disability, carer,
 * sexuality, religion, deprivationDecile. Other keys are ignored.
 */
export interface EnrichInput {
  text: string;
  question?: string;
  fields: Record<string, string | undefined>;
  referenceYear?: number;
}

export interface Enriched {
  /** The comment with identifiers replaced by placeholders. */
  text: string;
  /** The question asked, redacted in the same way (partners sometimes paste answers into it). */
  question?: string;
  redaction: {
    /** Counts over the comment and the question together. */
    summary: Partial<Record<PiiType, number>>;
    needsReview: boolean;
    /** Offsets in the original comment. */
    entities: PiiEntity[];
  };
  place: PlaceResult;
  demographics: Demographics;
  language: DetectedLanguage;
}

/** The enrich step for one comment: the only place raw text is seen after parsing. */
export class Enricher {
  constructor(private readonly places: PlaceResolver) {}

  enrich(input: EnrichInput): Enriched {
    const f = input.fields;
    const comment = redact(input.text);
    const question = input.question ? redact(input.question) : undefined;

    const summary = { ...comment.summary };
    for (const [type, n] of Object.entries(question?.summary ?? {}) as Array<[PiiType, number]>) {
      summary[type] = (summary[type] ?? 0) + n;
    }

    const place = this.places.resolve({
      postcode: f.postcode,
      postcodeDistrict: f.postcodeDistrict,
      district: f.district,
      practiceCode: f.practiceCode,
      service: f.service,
      location: f.location,
      textPostcodeDistricts: [...comment.postcodeDistricts, ...(question?.postcodeDistricts ?? [])],
      text: question ? `${comment.text}\n${question.text}` : comment.text,
    });

    const enriched: Enriched = {
      text: comment.text,
      redaction: {
        summary,
        needsReview: comment.needsReview || (question?.needsReview ?? false),
        entities: comment.entities,
      },
      place,
      demographics: normaliseDemographics({
        age: f.age,
        sex: f.sex,
        gender: f.gender,
        ethnicity: f.ethnicity,
        disability: f.disability,
        carer: f.carer,
        sexuality: f.sexuality,
        religion: f.religion,
        deprivationDecile: f.deprivationDecile,
        referenceYear: input.referenceYear,
      }),
      language: detectLanguage(input.text),
    };
    if (question) enriched.question = question.text;
    return enriched;
  }
}
