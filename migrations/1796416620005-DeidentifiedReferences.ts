import { MigrationInterface, QueryRunner } from 'typeorm';
import { referenceDedupKey } from '../src/common/reference-key';
import { loadConfig } from '../src/config/config';
import { referenceHashSecret } from '../src/config/reference-secret';
import { redactField, redactFileName } from '../src/enrichment/redaction/redactor';

const PAGE = 2000;
/** Only keys made before this migration hold the reference itself: `ref:<reference>|<part>`. */
const RAW_REFERENCE_KEY = `dedup_key LIKE 'ref:%' AND dedup_key !~ '^ref:[0-9a-f]{64}$'`;
/** Values that may hold a bare NHS number, an email or a phone number the earlier redaction missed. */
const MAY_HOLD_IDENTIFIER = `~ '[0-9]{3}|@'`;

interface InsightRow {
  id: string;
  dedup_key: string;
  external_ref: string | null;
  service: string | null;
  metadata: Record<string, string>;
}

/**
 * Row references and provenance held identifiers: a reference is now de-duplicated on a keyed
 * hash (REFERENCE_HASH_SECRET) and shown de-identified, and batch titles, file names, methods,
 * descriptions and reasons are de-identified as comments are. This re-keys and cleans the rows
 * stored before. Keys are rebuilt from the stored key itself (it held the raw reference), so a
 * re-upload after the migration still finds its row. Irreversible: the raw values are gone.
 * Audit rows cannot be changed (the table refuses UPDATE), so queries recorded earlier stay.
 */
export class DeidentifiedReferences1796416620005 implements MigrationInterface {
  name = 'DeidentifiedReferences1796416620005';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const [{ pending }] = (await queryRunner.query(
      `SELECT EXISTS (SELECT 1 FROM insight WHERE ${RAW_REFERENCE_KEY}) AS pending`,
    )) as Array<{ pending: boolean }>;
    // The key is read only when there is something to re-key: an empty database needs none.
    const secret = pending ? referenceHashSecret(loadConfig()) : '';
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = (await queryRunner.query(
        `SELECT id, dedup_key, external_ref, service, metadata FROM insight
          WHERE id > $1 AND (${RAW_REFERENCE_KEY} OR external_ref ${MAY_HOLD_IDENTIFIER}
                OR service ${MAY_HOLD_IDENTIFIER} OR metadata::text ${MAY_HOLD_IDENTIFIER})
          ORDER BY id LIMIT ${PAGE}`,
        [after],
      )) as InsightRow[];
      if (!rows.length) break;
      after = rows[rows.length - 1].id;
      const changed = rows
        .map((r) => ({
          id: r.id,
          dedupKey:
            r.dedup_key.startsWith('ref:') && !/^ref:[0-9a-f]{64}$/.test(r.dedup_key)
              ? referenceDedupKey(secret, r.dedup_key.slice(4))
              : r.dedup_key,
          externalRef: r.external_ref === null ? null : redactField(r.external_ref),
          service: r.service === null ? null : redactField(r.service),
          metadata: Object.fromEntries(
            Object.entries(r.metadata ?? {}).map(([k, v]) => [redactField(k), redactField(v)]),
          ),
          before: r,
        }))
        .filter(
          (c) =>
            c.dedupKey !== c.before.dedup_key ||
            c.externalRef !== c.before.external_ref ||
            c.service !== c.before.service ||
            JSON.stringify(c.metadata) !== JSON.stringify(c.before.metadata ?? {}),
        );
      if (!changed.length) continue;
      await queryRunner.query(
        `WITH u AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[])
                      AS u(id, dedup_key, external_ref, service, metadata)),
              upd AS (UPDATE insight i SET dedup_key = u.dedup_key, external_ref = u.external_ref,
                             service = u.service, metadata = u.metadata::jsonb
                        FROM u WHERE i.id = u.id RETURNING i.id, i.batch_id)
         INSERT INTO index_outbox (insight_id, batch_id, operation) SELECT id, batch_id, 'upsert' FROM upd`,
        [
          changed.map((c) => c.id),
          changed.map((c) => c.dedupKey),
          changed.map((c) => c.externalRef),
          changed.map((c) => c.service),
          changed.map((c) => JSON.stringify(c.metadata)),
        ],
      );
    }

    const batches = (await queryRunner.query(
      `SELECT id, title, file_name, collection_method, sample_description, lawful_basis, deletion_reason, review_reason
         FROM batch`,
    )) as Array<{
      id: string;
      title: string;
      file_name: string;
      collection_method: string | null;
      sample_description: string | null;
      lawful_basis: string | null;
      deletion_reason: string | null;
      review_reason: string | null;
    }>;
    const opt = (v: string | null): string | null => (v === null ? null : redactField(v));
    for (const b of batches) {
      const next = [
        redactField(b.title),
        redactFileName(b.file_name),
        opt(b.collection_method),
        opt(b.sample_description),
        opt(b.lawful_basis),
        opt(b.deletion_reason),
        opt(b.review_reason),
      ];
      const before = [
        b.title,
        b.file_name,
        b.collection_method,
        b.sample_description,
        b.lawful_basis,
        b.deletion_reason,
        b.review_reason,
      ];
      if (next.every((v, i) => v === before[i])) continue;
      await queryRunner.query(
        `UPDATE batch SET title = $2, file_name = $3, collection_method = $4, sample_description = $5,
                lawful_basis = $6, deletion_reason = $7, review_reason = $8 WHERE id = $1`,
        [b.id, ...next],
      );
    }
  }

  public async down(): Promise<void> {
    // Nothing to undo: the raw references and provenance are deliberately not kept anywhere.
  }
}
