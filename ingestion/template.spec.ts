import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readRecords } from './adapters/read-records';
import { scratchDir } from './adapters/test-fixtures.spec-helper';
import type { RawRecord } from './adapters/adapter.types';
import { buildMapping } from './mapping/build-mapping.util';
import { mapRecord } from './mapping/map-record.util';
import { PROFILES } from './profiles/profiles.constants';
import { GENERIC_TEMPLATE_COLUMNS, templateCsv, templateXlsx } from './template';

const scratch = scratchDir();
afterAll(() => scratch.cleanup());

async function roundTrip(file: string): Promise<{ headers: string[]; records: RawRecord[] }> {
  let headers: string[] = [];
  const records: RawRecord[] = [];
  for await (const r of readRecords(file, { onHeaders: (h) => (headers = h) })) records.push(r);
  return { headers, records };
}

describe('generic upload template', () => {
  it('documents every column, with the comment the only required one', () => {
    expect(GENERIC_TEMPLATE_COLUMNS.filter((c) => c.required).map((c) => c.name)).toEqual([
      'comment',
    ]);
    for (const c of GENERIC_TEMPLATE_COLUMNS) {
      expect(c.description.length).toBeGreaterThan(10);
      expect(c.example).toHaveLength(2);
    }
  });

  it.each([
    ['csv', () => Promise.resolve(Buffer.from(templateCsv(), 'utf8'))],
    ['xlsx', templateXlsx],
  ])(
    'the %s template reads back and maps every column with the generic profile',
    async (ext, make) => {
      const file = scratch.file(`template.${ext}`, await make());
      const { headers, records } = await roundTrip(file);
      expect(headers).toEqual(GENERIC_TEMPLATE_COLUMNS.map((c) => c.name));
      expect(records).toHaveLength(2);
      const mapping = buildMapping(headers, PROFILES.generic);
      expect(mapping.unmapped).toEqual([]);
      const comments = records.flatMap((r) => mapRecord(r, mapping, {}).comments);
      expect(comments.map((c) => c.text)).toEqual(GENERIC_TEMPLATE_COLUMNS[0].example);
      expect(comments.map((c) => c.date)).toEqual(['2024-03-03', '2024-03-14']);
      expect(comments[0].fields).toMatchObject({
        postcode: 'ME14 1AA',
        practiceCode: 'Z99999',
        age: '35-44',
        sexuality: 'Heterosexual',
      });
      expect(comments.every((c) => Object.keys(c.metadata).length === 0)).toBe(true);
    },
  );
});

describe('ingestion README', () => {
  const readme = readFileSync(path.join(__dirname, 'README.md'), 'utf8');

  it('documents every template column and every profile alias', () => {
    for (const c of GENERIC_TEMPLATE_COLUMNS) expect(readme).toContain(`| \`${c.name}\` |`);
    for (const profile of Object.values(PROFILES)) {
      expect(readme).toContain(`| \`${profile.name}\` |`);
      for (const aliases of Object.values(profile.columns)) {
        for (const alias of aliases ?? []) expect(readme).toContain(alias);
      }
    }
  });
});
