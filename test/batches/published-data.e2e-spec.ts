import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { isPlaceholderComment } from '../../ingestion';
import { createTestApp, truncateAll } from '../support/test-app';
import { ensureOrg, upload, waitForBatch } from '../support/batches';

const FILE = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'shared',
  'data',
  'patient-feedback-phase1',
  'text_data.csv',
);
const present = fs.existsSync(FILE);
if (!present) console.warn(`Skipping the published-data import: ${FILE} is not present`);

/**
 * The 10,334 published comments (three trusts, real-world messiness) imported through the API:
 * every row is accounted for, and the rejected and duplicate counts are explained by an
 * independent reading of the file.
 */
(present ? describe : describe.skip)('importing the published patient-experience file', () => {
  let app: INestApplication<App>;

  beforeAll(async () => {
    app = await createTestApp();
    await truncateAll(app);
    await ensureOrg(app, 'nhse-phase1', 'trust');
  });
  afterAll(async () => {
    await app.close();
  });

  it('accounts for every row: received = accepted + rejected + duplicates, with the reasons explained', async () => {
    const rows: Array<{ feedback: string; question: string; row_index: string }> = parse(
      fs.readFileSync(FILE),
      { columns: true, bom: true },
    );

    // Rejected: answers with no content ("", "N/A", "-", "nothing to add" ...), which are not feedback.
    const rejectedRows = rows.filter((r) => isPlaceholderComment(r.feedback));
    // Duplicates: the file's `row_index` column is read as each row's reference, so only a
    // reference repeated under the same question is the same record sent twice. Identical words
    // from different rows ("Nothing.", "Very good") are different people and are all kept.
    const seen = new Set<string>();
    let duplicates = 0;
    for (const r of rows) {
      if (isPlaceholderComment(r.feedback)) continue;
      const key = `${r.row_index}|${r.question}`;
      if (seen.has(key)) duplicates += 1;
      else seen.add(key);
    }
    const repeatedWords = new Set(rows.map((r) => r.feedback.trim().toLowerCase())).size;
    expect(repeatedWords).toBeLessThan(rows.length - rejectedRows.length);

    const res = await upload(app, fs.readFileSync(FILE), 'text_data.csv', {
      organisation: 'nhse-phase1',
      sourceType: 'fft',
      title: 'Phase 1 published comments',
    });
    expect(res.status).toBe(202);
    const batch = await waitForBatch(app, res.body.id, 300000);
    expect(batch.status).toBe('complete');
    const c = batch.counts;
    expect(c.received).toBe(10334);
    expect(c.received).toBe(c.accepted + c.rejected + c.duplicates);
    expect(c.rejected).toBe(rejectedRows.length);
    expect(c.rejected).toBeGreaterThan(0);
    expect(c.duplicates).toBe(duplicates);
    expect(c.accepted).toBe(10334 - rejectedRows.length - duplicates);
    expect(c.indexed).toBe(c.accepted);

    const [stored] = await app
      .get(DataSource)
      .query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM insight WHERE batch_id = $1`, [
        batch.id,
      ]);
    expect(stored.n).toBe(c.accepted);
    const reasons = await app
      .get(DataSource)
      .query<Array<{ reason: string; n: number }>>(
        `SELECT reason, count(*)::int AS n FROM rejected_row WHERE batch_id = $1 GROUP BY reason ORDER BY reason`,
        [batch.id],
      );
    expect(reasons).toEqual([
      ...(duplicates ? [{ reason: 'duplicate', n: duplicates }] : []),
      { reason: 'empty_comment', n: rejectedRows.length },
    ]);
    // The reference was recognised, and said so.
    expect(batch.mapping?.mapped).toEqual(
      expect.arrayContaining([{ column: 'row_index', field: 'externalRef' }]),
    );
  }, 360000);
});
