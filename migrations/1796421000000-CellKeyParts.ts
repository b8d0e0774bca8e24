import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cell keys now come from each record key's low bit (src/search/query/disclosure.ts), so a
 * search document's demographic cell twins carry one bit term instead of five. Every insight is
 * queued for re-indexing; until its document is written again, the search reads only the bit
 * terms it needs and ignores the others. Record keys themselves do not change.
 */
export class CellKeyParts1796421000000 implements MigrationInterface {
  name = 'CellKeyParts1796421000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            INSERT INTO "index_outbox" ("insight_id", "batch_id", "operation")
            SELECT i."id", i."batch_id", 'upsert' FROM "insight" i
            WHERE NOT EXISTS (
                SELECT 1 FROM "index_outbox" o WHERE o."insight_id" = i."id" AND o."operation" = 'upsert'
            )
        `);
  }

  public async down(): Promise<void> {
    // Nothing to undo: the queued re-indexing is harmless either way.
  }
}
