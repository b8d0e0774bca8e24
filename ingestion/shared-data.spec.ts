import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { readRecords } from './adapters/read-records';
import { buildMapping } from './mapping/build-mapping.util';
import { chooseProfile } from './mapping/choose-profile.util';
import { mapRecord } from './mapping/map-record.util';

const TEXT_DATA = path.resolve(
  __dirname,
  '../../shared/data/patient-feedback-phase1/text_data.csv',
);
const present = existsSync(TEXT_DATA);
if (!present) console.warn(`Skipping the published feedback test: ${TEXT_DATA} is absent.`);

(present ? describe : describe.skip)(
  'published patient feedback (text_data.csv), read in place',
  () => {
    it('streams every record, agreeing with a whole-file parse, and maps each to a comment or a problem', async () => {
      const expected: string[][] = parse(readFileSync(TEXT_DATA), {
        bom: true,
        relax_column_count: true,
      });
      const expectedRecords = expected
        .slice(1)
        .filter((cells) => cells.some((c) => c.trim() !== ''));
      expect(expectedRecords).toHaveLength(10334);

      let headers: string[] = [];
      let count = 0;
      let comments = 0;
      let rejected = 0;
      let lastRowNumber = 0;
      let mapping: ReturnType<typeof buildMapping> | undefined;
      for await (const record of readRecords(TEXT_DATA, { onHeaders: (h) => (headers = h) })) {
        mapping ??= buildMapping(headers, chooseProfile(headers).profile);
        expect(record.rowNumber).toBeGreaterThan(lastRowNumber);
        lastRowNumber = record.rowNumber;
        if (count < expectedRecords.length)
          expect(record.values.feedback ?? '').toBe(expectedRecords[count][3]);
        count++;
        const result = mapRecord(record, mapping, {});
        comments += result.comments.length;
        if (result.comments.length === 0) rejected++;
      }
      expect(count).toBe(10334);
      expect(mapping?.columns.text).toEqual(['feedback']);
      expect(mapping?.columns.question).toEqual(['question']);
      expect(comments + rejected).toBe(10334);
      expect(comments).toBeGreaterThan(10000);
    });
  },
);
