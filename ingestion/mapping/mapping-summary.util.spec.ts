import { PROFILES } from '../profiles/profiles.constants';
import { buildMapping } from './build-mapping.util';
import { mappingLines, mappingSummary } from './mapping-summary.util';

describe('mappingSummary', () => {
  const generic = PROFILES.generic;

  it('recognises a row_index column as the reference', () => {
    const headers = ['row_index', 'comment', 'date'];
    expect(buildMapping(headers, generic).columns.externalRef).toEqual(['row_index']);
  });

  it('says which columns fill which field, which were not used, and what was not found', () => {
    const headers = ['Comment', 'Ward', 'When', 'Rating colour'];
    const summary = mappingSummary(buildMapping(headers, generic), headers);
    expect(summary.mapped).toEqual([{ column: 'Comment', field: 'text' }]);
    expect(summary.unmapped).toEqual(['Ward', 'When', 'Rating colour']);
    expect(summary.missing).toEqual(['externalRef', 'date', 'postcode']);
    expect(mappingLines(summary)).toEqual([
      'Columns read:',
      '  "Comment" -> Comment',
      'Columns not used (kept as extra details): "Ward", "When", "Rating colour"',
      expect.stringMatching(/^Not found: no reference column: a corrected file/),
      expect.stringMatching(/^Not found: no date column/),
      expect.stringMatching(/^Not found: no postcode column/),
    ]);
  });

  it('lists the columns in file order and counts a postcode district as a place', () => {
    const headers = ['reference', 'postcode district', 'comment', 'date'];
    const summary = mappingSummary(buildMapping(headers, generic), headers);
    expect(summary.mapped.map((m) => m.column)).toEqual(headers);
    expect(summary.missing).toEqual([]);
    expect(mappingLines(summary)).toContain('Columns not used: none');
  });

  it('shortens a very long header', () => {
    const long = `comment ${'x'.repeat(200)}`;
    const summary = mappingSummary(buildMapping([long], generic), [long]);
    expect(summary.mapped[0].column.length).toBe(80);
  });

  it('cleans each name before shortening it', () => {
    const headers = ['comment', `call 07700 900123 ${'x'.repeat(100)}`];
    const summary = mappingSummary(buildMapping(headers, generic), headers, (h) =>
      h.replace(/07700 900123/, '[PHONE]'),
    );
    expect(summary.unmapped[0].startsWith('call [PHONE] xxx')).toBe(true);
  });
});
