import { SEARCHABLE_ATTRIBUTES } from '../../search-config/insights.index';
import { INSIGHTS_SETTINGS } from '../search/insights-index';
import { CELL_KEY_BITS } from '../search/query/disclosure';
import {
  DEMOGRAPHIC_FIELDS,
  FIELD_SPECS,
  fieldSql,
  fieldsWhere,
  selectList,
  storedValue,
} from './insight-fields';

describe('insight field catalogue', () => {
  it('gives every stored field a column and type, and every column to one field', () => {
    const columns = FIELD_SPECS.flatMap(([, s]) => (s.column ? [s.column] : []));
    expect(new Set(columns).size).toBe(columns.length);
    for (const [field, spec] of FIELD_SPECS) {
      if (spec.insert || spec.read) {
        expect({ field, column: spec.column, pgType: spec.pgType }).toEqual({
          field,
          column: expect.stringMatching(/^[a-z_]+$/),
          pgType: expect.any(String),
        });
      }
    }
  });

  it('builds each document field from a field it reads, a derivation or the mapping', () => {
    for (const [field, spec] of FIELD_SPECS) {
      if (!spec.document || spec.document.computed) continue;
      expect({ field, source: spec.read === true || spec.derived !== undefined }).toEqual({
        field,
        source: true,
      });
    }
  });

  it('gives each filter a unique parameter name, and each population group a closed list', () => {
    const names = FIELD_SPECS.flatMap(([, s]) => (s.filter ? [s.filter.name] : []));
    expect(new Set(names).size).toBe(names.length);
    for (const field of DEMOGRAPHIC_FIELDS) {
      const spec = FIELD_SPECS.find(([f]) => f === field)![1];
      expect(spec.filter?.values?.length).toBeGreaterThan(0);
      expect(spec.document?.filterable).toBe(true);
      expect(spec.export?.rowLevel).toBe(true);
      expect(spec.demographic?.label).toMatch(/^[A-Z]/);
      // Every value and its key bits fit in one facet of the cell twin.
      expect(spec.filter!.values!.length * (1 + CELL_KEY_BITS)).toBeLessThanOrEqual(
        INSIGHTS_SETTINGS.faceting.maxValuesPerFacet,
      );
    }
  });

  it('numbers the export columns 1, 2, 3 … with no gap or repeat, each with its own header', () => {
    const exported = FIELD_SPECS.flatMap(([, s]) => (s.export ? [s.export] : []));
    expect(exported.map((e) => e.position).sort((a, b) => a - b)).toEqual(
      exported.map((_, i) => i + 1),
    );
    expect(new Set(exported.map((e) => e.header)).size).toBe(exported.length);
  });

  it('searches and exempts from typos only attributes the document has', () => {
    const document = fieldsWhere((s) => s.document);
    for (const a of [
      ...SEARCHABLE_ATTRIBUTES,
      ...INSIGHTS_SETTINGS.typoTolerance.disableOnAttributes,
    ]) {
      expect(document).toContain(a);
    }
  });

  it('reads dates as yyyy-mm-dd and qualifies columns with the alias it is given', () => {
    expect(fieldSql('commentDate')).toBe(`to_char(comment_date, 'YYYY-MM-DD')`);
    expect(selectList(['id', 'ladCode'], (c) => `i.${c}`)).toBe(
      'i.id AS "id", i.lad_code AS "ladCode"',
    );
    expect(fieldSql('organisationName', (c) => `i.${c}`)).toBe(
      '(SELECT o.name FROM organisation o WHERE o.id = i.organisation_id)',
    );
    expect(() => fieldSql('themeNames')).toThrow('themeNames has no SQL');
  });

  it('reads a stored value by field name', () => {
    expect(storedValue('ageBand', { ageBand: '65-74' })).toBe('65-74');
  });
});
