import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A fixed random record key on every insight, for the cell key method of disclosure control
 * (src/search/query/disclosure.ts). The default is evaluated row by row, so existing insights get
 * their own keys here and new ones when they are written; nothing updates the key afterwards.
 * The first byte of a random UUID is cryptographically random and 256 is a multiple of 32.
 * Every insight is queued for re-indexing, since search documents now carry the keyed
 * demographic attributes.
 */
export class RecordKeys1796416551071 implements MigrationInterface {
  name = 'RecordKeys1796416551071';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "insight"
            ADD "record_key" smallint NOT NULL
            DEFAULT (get_byte(uuid_send(gen_random_uuid()), 0) % 32)
            CONSTRAINT "insight_record_key_range" CHECK ("record_key" BETWEEN 0 AND 31)
        `);
    await queryRunner.query(`
            INSERT INTO "index_outbox" ("insight_id", "batch_id", "operation")
            SELECT "id", "batch_id", 'upsert' FROM "insight"
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "insight" DROP COLUMN "record_key"
        `);
  }
}
