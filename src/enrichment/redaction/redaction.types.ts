export type PiiType =
  | 'NHS_NUMBER'
  | 'EMAIL'
  | 'PHONE'
  | 'NI_NUMBER'
  | 'POSTCODE'
  | 'DATE_OF_BIRTH'
  | 'NAME'
  | 'ADDRESS';

export const PII_TYPES: readonly PiiType[] = [
  'NHS_NUMBER',
  'EMAIL',
  'PHONE',
  'NI_NUMBER',
  'POSTCODE',
  'DATE_OF_BIRTH',
  'NAME',
  'ADDRESS',
];

/** Offsets are in the original text; the matched value itself is never kept. */
export interface PiiEntity {
  type: PiiType;
  start: number;
  end: number;
}

export interface RedactionResult {
  text: string;
  entities: PiiEntity[];
  summary: Partial<Record<PiiType, number>>;
  postcodeDistricts: string[];
  needsReview: boolean;
}
