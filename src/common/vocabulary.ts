/**
 * Fixed vocabularies shared by the entities, the API's validation and the pure search code
 * (which must not import entities). One list each, so they cannot drift apart.
 */
export const SOURCE_TYPES = [
  'survey',
  'roadshow',
  'healthwatch_report',
  'focus_group',
  'citizens_panel',
  'health_network',
  'ideas_board',
  'pals_complaint',
  'fft',
  'care_opinion',
  'other',
] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export const SHARING_LEVELS = ['public', 'system', 'icb', 'restricted'] as const;
export type SharingLevel = (typeof SHARING_LEVELS)[number];

export const SENTIMENTS = [
  'very_negative',
  'negative',
  'neutral',
  'positive',
  'very_positive',
] as const;
export type Sentiment = (typeof SENTIMENTS)[number];
