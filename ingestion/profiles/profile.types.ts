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

/** Fields whose coded answers a value map may translate: the demographics the bank normalises. */
export type ValueMapField =
  | 'age'
  | 'sex'
  | 'gender'
  | 'ethnicity'
  | 'disability'
  | 'carer'
  | 'sexuality'
  | 'religion'
  | 'deprivationDecile';

export const VALUE_MAP_FIELDS: readonly ValueMapField[] = [
  'age',
  'sex',
  'gender',
  'ethnicity',
  'disability',
  'carer',
  'sexuality',
  'religion',
  'deprivationDecile',
];

/**
 * Per field, a code as written in the file -> an answer the demographics normaliser understands.
 * Codes are matched after trimming, ignoring case; a value with no entry is read as it is.
 */
export type ValueMap = Partial<Record<ValueMapField, Record<string, string>>>;

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
  /** Codes files of this kind use for their answers (S is straight for sexuality, Sikh for religion). */
  values?: ValueMap;
}
