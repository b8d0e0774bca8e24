import { insightsSettings } from '../../search-config/insights.index';
import {
  cellAttribute,
  DEMOGRAPHIC_FIELDS,
  fieldsWhere,
  type RetrievedField,
} from '../insights/insight-fields';

/**
 * The insights index's attributes, read from the insight field catalogue, and its settings: the
 * attributes with the rest of search-config/.
 */

/** The cell twins of the population groups, counted for roles that see demographic counts only. */
export const CELL_ATTRIBUTES = DEMOGRAPHIC_FIELDS.map(cellAttribute);

export const FILTERABLE_ATTRIBUTES: string[] = [
  ...fieldsWhere((s) => s.document?.filterable),
  ...CELL_ATTRIBUTES,
];

export const SORTABLE_ATTRIBUTES: string[] = fieldsWhere((s) => s.document?.sortable);

/**
 * The search API returns these and nothing else; the text is cropped and highlighted separately.
 * Population groups are added only for roles with row-level access.
 */
export const RETRIEVABLE_ATTRIBUTES = fieldsWhere((s) => s.document?.retrieve) as RetrievedField[];

export const INSIGHTS_SETTINGS = insightsSettings({
  filterableAttributes: FILTERABLE_ATTRIBUTES,
  sortableAttributes: SORTABLE_ATTRIBUTES,
});
