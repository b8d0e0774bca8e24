export { IngestionError, type IngestionErrorCode } from './ingestion.error';
export type { RawRecord, RawValue, ReadOptions, SourceFormat } from './adapters/adapter.types';
export { MAX_COLUMNS, DEFAULT_MAX_UNCOMPRESSED_BYTES } from './adapters/adapter.types';
export { detectFormat } from './adapters/detect-format.util';
export { readRecords } from './adapters/read-records';
export type { CanonicalField, Profile, ValueMap, ValueMapField } from './profiles/profile.types';
export { CANONICAL_FIELDS, VALUE_MAP_FIELDS } from './profiles/profile.types';
export { PROFILES, DEFAULT_PROFILE } from './profiles/profiles.constants';
export { normaliseHeader } from './profiles/normalise-header.util';
export { chooseProfile } from './mapping/choose-profile.util';
export { buildMapping } from './mapping/build-mapping.util';
export { mapRecord, DEFAULT_MAX_TEXT_LENGTH } from './mapping/map-record.util';
export { checkValueMap, combineValueMaps, lookUpCode } from './mapping/value-map.util';
export { parseFeedbackDate, type DateParse } from './mapping/date-parse.util';
export { isPlaceholderComment } from './mapping/placeholder.util';
export { MappingError, type MappingErrorCode } from './mapping/mapping.error';
export type {
  CandidateComment,
  ColumnMapping,
  MapOptions,
  RowProblem,
  RowProblemCode,
} from './mapping/mapping.types';
export {
  GENERIC_TEMPLATE_COLUMNS,
  templateCsv,
  templateXlsx,
  type TemplateColumn,
} from './template';
export {
  FIELD_WORDS,
  MISSING_FIELD_EFFECT,
  mappingLines,
  mappingSummary,
  type MappingSummary,
} from './mapping/mapping-summary.util';
