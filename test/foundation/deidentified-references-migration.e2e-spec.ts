import { DataSource } from 'typeorm';
import { referenceDedupKey } from '../../src/common/reference-key';
import { loadConfig } from '../../src/config/config';
import { referenceHashSecret } from '../../src/config/reference-secret';
import { dataSourceOptions } from '../../src/database/data-source';
import { ensureDatabase, runMigrations } from '../../src/database/database-bootstrap';

const MIGRATION = 1796416620005;

/** Rows stored before references were keyed and provenance de-identified are cleaned on upgrade. */
describe('migration DeidentifiedReferences', () => {
  const url = `${process.env.DATABASE_URL}_deidentify`;
  let ds: DataSource;

  beforeAll(async () => {
    await ensureDatabase(url);
    ds = await new DataSource(dataSourceOptions(url)).initialize();
    await ds.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    await runMigrations(ds);
    // Back to the schema just before this migration (and any later one).
    for (;;) {
      const [last] = await ds.query<Array<{ timestamp: string }>>(
        `SELECT timestamp FROM migrations ORDER BY timestamp DESC LIMIT 1`,
      );
      if (Number(last.timestamp) < MIGRATION) break;
      await ds.undoLastMigration({ transaction: 'each' });
    }
  });
  afterAll(async () => {
    await ds.destroy();
  });

  it('re-keys raw references on a keyed hash and de-identifies references and provenance', async () => {
    const [org] = await ds.query<Array<{ id: string }>>(
      `INSERT INTO organisation (code, name, kind) VALUES ('hw-old', 'Old', 'healthwatch') RETURNING id`,
    );
    const [batch] = await ds.query<Array<{ id: string }>>(
      `INSERT INTO batch (organisation_id, source_type, title, file_name, file_sha256, file_size,
                          collection_method, sample_description, deletion_reason, status)
       VALUES ($1, 'survey', 'Calls from 9434765919', 'jane.doe@example.com.csv', $2, 10,
               'Phone 07700 900123', 'Plain description', 'Holds 9434765919', 'complete') RETURNING id`,
      [org.id, 'a'.repeat(64)],
    );
    const insert = (key: string, ref: string | null, text: string) =>
      ds.query(
        `INSERT INTO insight (batch_id, organisation_id, row_number, part, external_ref, content_hash,
                              dedup_key, text, source_type, sharing_level, place_resolved_by, themes,
                              redaction, metadata)
         VALUES ($1, $2, 1, 0, $3, $4, $5, $6, 'survey', 'icb', 'none', '[]', '{}', $7)`,
        [
          batch.id,
          org.id,
          ref,
          'b'.repeat(64),
          key,
          text,
          JSON.stringify({ note: 'id 9434765919' }),
        ],
      );
    await insert('ref:9434765919|0', '9434765919', 'first');
    await insert(`hash:${'c'.repeat(64)}`, null, 'second');

    await runMigrations(ds);

    const secret = referenceHashSecret(loadConfig());
    const rows = await ds.query<
      Array<{ text: string; dedup_key: string; external_ref: string | null; metadata: unknown }>
    >(`SELECT text, dedup_key, external_ref, metadata FROM insight ORDER BY text`);
    expect(rows).toEqual([
      {
        text: 'first',
        dedup_key: referenceDedupKey(secret, '9434765919|0'),
        external_ref: '[NHS_NUMBER]',
        metadata: { note: 'id [NHS_NUMBER]' },
      },
      {
        text: 'second',
        dedup_key: `hash:${'c'.repeat(64)}`,
        external_ref: null,
        metadata: { note: 'id [NHS_NUMBER]' },
      },
    ]);
    const [b] = await ds.query<Array<Record<string, string>>>(
      `SELECT title, file_name, collection_method, sample_description, deletion_reason FROM batch`,
    );
    expect(b).toEqual({
      title: 'Calls from [NHS_NUMBER]',
      file_name: '[EMAIL].csv',
      collection_method: 'Phone [PHONE]',
      sample_description: 'Plain description',
      deletion_reason: 'Holds [NHS_NUMBER]',
    });
    // Changed comments are queued, so their search documents follow.
    const [{ n }] = await ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM index_outbox`,
    );
    expect(n).toBe(2);
  });
});
