import { SENTIMENTS, SHARING_LEVELS, SOURCE_TYPES } from '../common/vocabulary';
import {
  AGE_BANDS,
  ETHNICITY_GROUPS,
  GENDER_IDENTITIES,
  RELIGIONS,
  SEXES,
  SEXUAL_ORIENTATIONS,
  YES_NO,
} from '../enrichment/demographics/demographics';
import { MODERATION_STATUSES } from '../moderation/review-policy';

/**
 * The insight field catalogue: every field of an insight that is stored, indexed, filtered,
 * counted or exported, declared once. The insert and outbox column lists, the search document and
 * its TypeScript shapes, the index's filterable and sortable attributes, the filter whitelist (index
 * and SQL), the export columns and the population-group lists are all read from here, so a new
 * field is one entry (plus, for a stored one, its entity column and migration, and the enrichment
 * that computes it).
 *
 * A field is in the search document under its own name. Its filter parameter (API and pages) may
 * have another name (`ladCode` is filtered as `district`).
 */

/**
 * Index of Multiple Deprivation quintiles of where the respondent lives, 1 the most deprived 20%
 * of areas: fewer, larger groups than deciles, so fewer counts fall below the disclosure threshold.
 * `unknown` when no decile was given or it was declined.
 */
export const DEPRIVATION_QUINTILES = ['1', '2', '3', '4', '5', 'unknown'] as const;
export const BOOLEAN_VALUES = ['true', 'false'] as const;

/** PostgreSQL types of stored columns (the casts of the insert statement). */
export type PgType =
  'uuid' | 'int' | 'smallint' | 'text' | 'date' | 'jsonb' | 'boolean' | 'real' | 'text[]';

/** TypeScript types of field values, by name, so the shapes below can be mapped from the catalogue. */
interface ValueTypes {
  string: string;
  'string?': string | null;
  number: number;
  'number?': number | null;
  boolean: boolean;
  'string[]': string[];
  /** yyyy-mm-dd; a stored `date` column may also come back from the driver as a Date. */
  date: string | null;
  json: unknown;
}
type ValueType = keyof ValueTypes;

/** How a filter's values are matched in PostgreSQL. */
export type FilterKind = 'text' | 'uuid' | 'boolean' | 'themes';

/** A column reference, qualified with the query's table alias when it has one. */
export type ColumnRef = (column: string) => string;

export interface InsightFieldSpec {
  type: ValueType;
  /** The stored column; absent for a value computed from other fields. */
  column?: string;
  pgType?: PgType;
  /** Written when an insight is inserted (and rewritten by a correction, unless it is identity). */
  insert?: true;
  /** Read from PostgreSQL to build the search document: a member of `InsightLike`. */
  read?: true;
  /**
   * A value derived from stored columns, twice over so each side computes it where it reads: as
   * SQL (filters, exports) and from the stored row (search document, a comment's page).
   */
  derived?: {
    sql: (column: ColumnRef) => string;
    value: (row: Readonly<Record<string, unknown>>) => string;
  };
  /**
   * In the search document. `computed`: built by the document mapping from other fields (themes
   * widened to their ancestors, names looked up); `optional`: left out when there is nothing to
   * say. `filterable`/`sortable` become index settings; `retrieve`: returned by every search
   * (population groups are returned only to roles with row-level access).
   */
  document?: {
    computed?: true;
    optional?: true;
    filterable?: true;
    sortable?: true;
    retrieve?: true;
  };
  /**
   * A search filter and facet. `values` is the closed list, when there is one; `commaSeparated:
   * false` where real values contain commas (HCP area names do).
   */
  filter?: {
    name: string;
    kind: FilterKind;
    values?: readonly string[];
    commaSeparated?: false;
  };
  /**
   * A population group: subject to disclosure control for roles without row-level demographic
   * access (counted through its cell twin `<name>Cells`, never used to select comments), shown to
   * the others. `label` names it on the pages.
   */
  demographic?: { label: string };
  /**
   * An export column. `position` is its place in the export, part of the API: a new column takes
   * the next number, so no column ever moves. `rowLevel`: only for roles with row-level access.
   * `format`: `list` joins values; `themeNames` and `districtName` name the codes of another field.
   * `sql`: what an export-only field reads (a field with a column reads the column).
   */
  export?: {
    header: string;
    position: number;
    rowLevel?: true;
    format?: 'list' | 'themeNames' | 'districtName';
    sql?: (column: ColumnRef) => string;
  };
}

/** Filter order is the API's (its error messages and documentation list filters in this order). */
export const INSIGHT_FIELDS = {
  themeCodes: {
    type: 'string[]',
    column: 'theme_codes',
    pgType: 'text[]',
    read: true,
    document: { computed: true, filterable: true, retrieve: true },
    filter: { name: 'theme', kind: 'themes' },
    export: { header: 'theme_codes', position: 5, format: 'list' },
  },
  subThemeCodes: {
    type: 'string[]',
    document: { computed: true, filterable: true },
    filter: { name: 'subTheme', kind: 'themes' },
  },
  categoryCodes: {
    type: 'string[]',
    document: { computed: true, filterable: true },
    filter: { name: 'category', kind: 'themes' },
  },
  serviceAreas: {
    type: 'string[]',
    document: { computed: true, filterable: true },
    filter: { name: 'serviceArea', kind: 'themes' },
  },
  hcpArea: {
    type: 'string?',
    column: 'hcp_area',
    pgType: 'text',
    insert: true,
    read: true,
    document: { filterable: true, retrieve: true },
    filter: { name: 'hcpArea', kind: 'text', commaSeparated: false },
    export: { header: 'hcp_area', position: 12 },
  },
  ladCode: {
    type: 'string?',
    column: 'lad_code',
    pgType: 'text',
    insert: true,
    read: true,
    document: { filterable: true, retrieve: true },
    filter: { name: 'district', kind: 'text' },
    export: { header: 'district_code', position: 13 },
  },
  postcodeDistrict: {
    type: 'string?',
    column: 'postcode_district',
    pgType: 'text',
    insert: true,
    read: true,
    document: { filterable: true, retrieve: true },
    filter: { name: 'postcodeDistrict', kind: 'text' },
    export: { header: 'postcode_district', position: 15 },
  },
  sourceType: {
    type: 'string',
    column: 'source_type',
    pgType: 'text',
    insert: true,
    read: true,
    document: { filterable: true, retrieve: true },
    filter: { name: 'sourceType', kind: 'text', values: SOURCE_TYPES },
    export: { header: 'source_type', position: 9 },
  },
  organisationId: {
    type: 'string',
    column: 'organisation_id',
    pgType: 'uuid',
    insert: true,
    read: true,
    document: { filterable: true, retrieve: true },
    filter: { name: 'organisation', kind: 'uuid' },
    export: { header: 'organisation_id', position: 10 },
  },
  batchId: {
    type: 'string',
    column: 'batch_id',
    pgType: 'uuid',
    insert: true,
    read: true,
    document: { filterable: true, retrieve: true },
    filter: { name: 'batch', kind: 'uuid' },
    export: { header: 'batch_id', position: 11 },
  },
  sentiment: {
    type: 'string?',
    column: 'sentiment',
    pgType: 'text',
    insert: true,
    read: true,
    document: { filterable: true, retrieve: true },
    filter: { name: 'sentiment', kind: 'text', values: SENTIMENTS },
    export: { header: 'sentiment', position: 7 },
  },
  language: {
    type: 'string',
    column: 'language',
    pgType: 'text',
    insert: true,
    read: true,
    document: { filterable: true },
    filter: { name: 'language', kind: 'text' },
    export: { header: 'language', position: 16 },
  },
  ageBand: {
    type: 'string',
    column: 'age_band',
    pgType: 'text',
    insert: true,
    read: true,
    document: { filterable: true },
    filter: { name: 'ageBand', kind: 'text', values: AGE_BANDS },
    demographic: { label: 'Age band' },
    export: { header: 'age_band', position: 18, rowLevel: true },
  },
  sex: {
    type: 'string',
    column: 'sex',
    pgType: 'text',
    insert: true,
    read: true,
    document: { filterable: true },
    filter: { name: 'sex', kind: 'text', values: SEXES },
    demographic: { label: 'Sex' },
    export: { header: 'sex', position: 19, rowLevel: true },
  },
  genderIdentity: {
    type: 'string',
    column: 'gender_identity',
    pgType: 'text',
    insert: true,
    read: true,
    document: { filterable: true },
    filter: { name: 'genderIdentity', kind: 'text', values: GENDER_IDENTITIES },
    demographic: { label: 'Gender identity' },
    export: { header: 'gender_identity', position: 20, rowLevel: true },
  },
  ethnicityGroup: {
    type: 'string',
    column: 'ethnicity_group',
    pgType: 'text',
    insert: true,
    read: true,
    document: { filterable: true },
    filter: { name: 'ethnicityGroup', kind: 'text', values: ETHNICITY_GROUPS },
    demographic: { label: 'Ethnic group' },
    export: { header: 'ethnicity_group', position: 21, rowLevel: true },
  },
  disability: {
    type: 'string',
    column: 'disability',
    pgType: 'text',
    insert: true,
    read: true,
    document: { filterable: true },
    filter: { name: 'disability', kind: 'text', values: YES_NO },
    demographic: { label: 'Disability' },
    export: { header: 'disability', position: 22, rowLevel: true },
  },
  carer: {
    type: 'string',
    column: 'carer',
    pgType: 'text',
    insert: true,
    read: true,
    document: { filterable: true },
    filter: { name: 'carer', kind: 'text', values: YES_NO },
    demographic: { label: 'Carer' },
    export: { header: 'carer', position: 23, rowLevel: true },
  },
  sexualOrientation: {
    type: 'string',
    column: 'sexual_orientation',
    pgType: 'text',
    insert: true,
    read: true,
    document: { filterable: true },
    filter: { name: 'sexualOrientation', kind: 'text', values: SEXUAL_ORIENTATIONS },
    demographic: { label: 'Sexual orientation' },
    export: { header: 'sexual_orientation', position: 24, rowLevel: true },
  },
  religion: {
    type: 'string',
    column: 'religion',
    pgType: 'text',
    insert: true,
    read: true,
    document: { filterable: true },
    filter: { name: 'religion', kind: 'text', values: RELIGIONS },
    demographic: { label: 'Religion' },
    export: { header: 'religion', position: 25, rowLevel: true },
  },
  /** Derived from the stored decile (quintile = decile ÷ 2, rounded up): no column of its own. */
  deprivationQuintile: {
    type: 'string',
    derived: {
      sql: (c) =>
        `CASE WHEN ${c('deprivation_decile')} IS NULL THEN 'unknown' ELSE ((${c('deprivation_decile')} + 1) / 2)::text END`,
      value: (row) =>
        typeof row.deprivationDecile === 'number'
          ? String(Math.ceil(row.deprivationDecile / 2))
          : 'unknown',
    },
    document: { filterable: true },
    filter: { name: 'deprivationQuintile', kind: 'text', values: DEPRIVATION_QUINTILES },
    demographic: { label: 'Deprivation quintile (1 = most deprived)' },
    export: { header: 'deprivation_quintile', position: 28, rowLevel: true },
  },
  sharingLevel: {
    type: 'string',
    column: 'sharing_level',
    pgType: 'text',
    insert: true,
    read: true,
    document: { filterable: true, retrieve: true },
    filter: { name: 'sharingLevel', kind: 'text', values: SHARING_LEVELS },
    export: { header: 'sharing_level', position: 17 },
  },
  moderationStatus: {
    type: 'string',
    column: 'moderation_status',
    pgType: 'text',
    insert: true,
    read: true,
    document: { filterable: true, retrieve: true },
    filter: { name: 'moderationStatus', kind: 'text', values: MODERATION_STATUSES },
  },
  needsReview: {
    type: 'boolean',
    column: 'needs_review',
    pgType: 'boolean',
    insert: true,
    read: true,
    document: { filterable: true, retrieve: true },
    filter: { name: 'needsReview', kind: 'boolean', values: BOOLEAN_VALUES },
  },
  safeguarding: {
    type: 'boolean',
    column: 'safeguarding',
    pgType: 'boolean',
    insert: true,
    read: true,
    document: { filterable: true, retrieve: true },
    filter: { name: 'safeguarding', kind: 'boolean', values: BOOLEAN_VALUES },
  },

  id: {
    type: 'string',
    column: 'id',
    pgType: 'uuid',
    insert: true,
    read: true,
    document: { retrieve: true },
    export: { header: 'id', position: 1 },
  },
  rowNumber: { type: 'number', column: 'row_number', pgType: 'int', insert: true },
  part: { type: 'number', column: 'part', pgType: 'smallint', insert: true },
  externalRef: { type: 'string?', column: 'external_ref', pgType: 'text', insert: true },
  contentHash: { type: 'string', column: 'content_hash', pgType: 'text', insert: true },
  dedupKey: { type: 'string', column: 'dedup_key', pgType: 'text', insert: true },
  /** Redacted text: raw feedback is never stored. */
  text: {
    type: 'string',
    column: 'text',
    pgType: 'text',
    insert: true,
    read: true,
    document: { retrieve: true },
    export: { header: 'text', position: 3 },
  },
  question: {
    type: 'string?',
    column: 'question',
    pgType: 'text',
    insert: true,
    read: true,
    document: { retrieve: true },
    export: { header: 'question', position: 4 },
  },
  commentDate: {
    type: 'date',
    column: 'comment_date',
    pgType: 'date',
    insert: true,
    read: true,
    document: { computed: true, retrieve: true },
    export: { header: 'date', position: 2 },
  },
  /** Unix seconds at 00:00 UTC of `commentDate`: numbers are what range filters and sort need. */
  commentDateTs: {
    type: 'number?',
    document: { computed: true, filterable: true, sortable: true },
  },
  service: { type: 'string?', column: 'service', pgType: 'text', insert: true },
  gpPractice: { type: 'string?', column: 'gp_practice', pgType: 'text', insert: true },
  placeResolvedBy: {
    type: 'string',
    column: 'place_resolved_by',
    pgType: 'text',
    insert: true,
  },
  /** The district's name, looked up from `ladCode`. */
  ladName: {
    type: 'string',
    document: { computed: true, optional: true, retrieve: true },
    export: { header: 'district_name', position: 14, format: 'districtName' },
  },
  /** Kept out of the index: the group is enough for search, the detail could single people out. */
  ethnicityDetail: {
    type: 'string',
    column: 'ethnicity_detail',
    pgType: 'text',
    insert: true,
  },
  /** Read for the index only to derive the quintile; the decile itself is not indexed. */
  deprivationDecile: {
    type: 'number?',
    column: 'deprivation_decile',
    pgType: 'smallint',
    insert: true,
    read: true,
  },
  themes: { type: 'json', column: 'themes', pgType: 'jsonb', insert: true },
  /** Theme names of every theme on the comment and its ancestors: searchable. */
  themeNames: {
    type: 'string[]',
    document: { computed: true, retrieve: true },
    export: { header: 'theme_names', position: 6, format: 'themeNames' },
  },
  sentimentScore: {
    type: 'number?',
    column: 'sentiment_score',
    pgType: 'real',
    insert: true,
    read: true,
    document: {},
    export: { header: 'sentiment_score', position: 8 },
  },
  redaction: { type: 'json', column: 'redaction', pgType: 'jsonb', insert: true },
  metadata: { type: 'json', column: 'metadata', pgType: 'jsonb', insert: true },
  /** The fixed random key of the cell key method (0..31), drawn by the database on insert. */
  recordKey: { type: 'number', column: 'record_key', pgType: 'smallint', read: true },
  organisationName: {
    type: 'string?',
    export: {
      header: 'organisation_name',
      position: 26,
      sql: (c) => `(SELECT o.name FROM organisation o WHERE o.id = ${c('organisation_id')})`,
    },
  },
  /** The batch's stored title (partner text, de-identified when it was written). */
  batchTitle: {
    type: 'string?',
    export: {
      header: 'batch_title',
      position: 27,
      sql: (c) => `(SELECT b.title FROM batch b WHERE b.id = ${c('batch_id')})`,
    },
  },
} as const satisfies Record<string, InsightFieldSpec>;

type Fields = typeof INSIGHT_FIELDS;
export type InsightField = keyof Fields;

type KeysWhere<Condition> = {
  [K in InsightField]: Fields[K] extends Condition ? K : never;
}[InsightField];

type Value<K extends InsightField> = ValueTypes[Fields[K]['type']];

/** Fields stored when an insight is inserted. */
export type InsertField = KeysWhere<{ insert: true }>;

/** The stored insight as the search document mapping reads it; the entity satisfies it. */
export type InsightLike = {
  [K in KeysWhere<{ read: true }>]: Fields[K]['type'] extends 'date'
    ? string | Date | null
    : Value<K>;
};

export type DocumentField = KeysWhere<{ document: object }>;
/** Document fields the mapping builds from other fields (see search-document.ts). */
export type ComputedDocumentField = KeysWhere<{ document: { computed: true } }>;
type OptionalDocumentField = KeysWhere<{ document: { optional: true } }>;
/** Document fields every search returns. */
export type RetrievedField = KeysWhere<{ document: { retrieve: true } }>;
export type DemographicField = KeysWhere<{ demographic: object }>;

/** The cell twin of a population group (see disclosure.ts): its value and its record key's bits. */
export type CellAttribute = `${DemographicField}Cells`;

/**
 * One comment as the search index holds it: only what searching, filtering, faceting and showing
 * a result needs. Never the partner's row reference, content hash, unmapped metadata or anything
 * that was not redacted.
 */
export type InsightSearchDocument = {
  [K in Exclude<DocumentField, OptionalDocumentField>]: Value<K>;
} & { [K in OptionalDocumentField]?: Value<K> } & { [K in CellAttribute]: string[] };

/** The filter parameter names. */
export type FilterField = {
  [K in InsightField]: Fields[K] extends { filter: { name: infer N } } ? N : never;
}[InsightField];

/** Export columns that name the codes of another field, rather than read a value of their own. */
type NamingExportField = KeysWhere<{ export: { format: 'themeNames' | 'districtName' } }>;
/** One insight as an export reads it from PostgreSQL. */
export type ExportRow = {
  [K in Exclude<KeysWhere<{ export: object }>, NamingExportField>]: Value<K>;
};

/** Every field with its spec, in catalogue order. */
export const FIELD_SPECS = Object.entries(INSIGHT_FIELDS) as ReadonlyArray<
  [InsightField, InsightFieldSpec]
>;

/** The fields whose spec passes `test`, in catalogue order. */
export function fieldsWhere(test: (spec: InsightFieldSpec) => unknown): InsightField[] {
  return FIELD_SPECS.filter(([, spec]) => test(spec)).map(([field]) => field);
}

export function fieldSpec(field: InsightField): InsightFieldSpec {
  return INSIGHT_FIELDS[field];
}

/** The population groups, in catalogue order. */
export const DEMOGRAPHIC_FIELDS = fieldsWhere((s) => s.demographic) as DemographicField[];

export function cellAttribute<F extends DemographicField>(field: F): `${F}Cells` {
  return `${field}Cells`;
}

/** SQL for a field's value: its column (dates as yyyy-mm-dd), or the expression that derives it. */
export function fieldSql(field: InsightField, column: ColumnRef = (c) => c): string {
  const spec = fieldSpec(field);
  if (spec.derived) return spec.derived.sql(column);
  if (spec.export?.sql) return spec.export.sql(column);
  if (spec.column === undefined) throw new Error(`The insight field ${field} has no SQL`);
  return spec.pgType === 'date'
    ? `to_char(${column(spec.column)}, 'YYYY-MM-DD')`
    : column(spec.column);
}

/** A SELECT list of fields, each under its catalogue name. */
export function selectList(fields: readonly InsightField[], column?: ColumnRef): string {
  return fields.map((f) => `${fieldSql(f, column)} AS "${f}"`).join(', ');
}

/** A field's value in a stored insight: a row read for the index, the entity, or enrichment's output. */
export function storedValue(field: InsightField, row: object): unknown {
  const stored = row as Readonly<Record<string, unknown>>;
  const derived = fieldSpec(field).derived;
  return derived ? derived.value(stored) : stored[field];
}
