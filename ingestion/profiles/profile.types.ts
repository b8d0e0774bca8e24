export type CanonicalField =
  | 'text'
  | 'question'
  | 'externalRef'
  | 'date'
  | 'postcode'
  | 'postcodeDistrict'
  | 'district'
  | 'practiceCode'
  | 'service'
  | 'location'
  | 'age'
  | 'sex'
  | 'gender'
  | 'ethnicity'
  | 'disability'
  | 'carer'
  | 'sexuality'
  | 'religion'
  | 'rating'
  | 'deprivationDecile'
  | 'group';

export const CANONICAL_FIELDS: readonly CanonicalField[] = [
  'text',
  'question',
  'externalRef',
  'date',
  'postcode',
  'postcodeDistrict',
  'district',
  'practiceCode',
  'service',
  'location',
  'age',
  'sex',
  'gender',
  'ethnicity',
  'disability',
  'carer',
  'sexuality',
  'religion',
  'rating',
  'deprivationDecile',
  'group',
];

export interface Profile {
  name: string;
  description: string;
  /** Header aliases per field, in priority order; matched after normaliseHeader on both sides. */
  columns: Partial<Record<CanonicalField, string[]>>;
  /** 'per-question': survey exports where every free-text column is its own comment. */
  textColumns?: 'single' | 'per-question';
  /** Case-insensitive regular expressions tested against the trimmed header text. */
  questionColumns?: { match: string[] };
  /** Normalised headers that files of this kind have and others rarely do; they decide between profiles. */
  markers?: string[];
  /** Fields filled from every matching column, joined in alias order (a location hierarchy, say). */
  combine?: CanonicalField[];
}
