import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How the file's columns were read (which column fills which field, which were not used, which key
 * fields were not found), so the batch page and the command line can tell the uploader. Batches
 * parsed before this have none.
 */
export class BatchMapping1796417707926 implements MigrationInterface {
  name = 'BatchMapping1796417707926';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "batch"
            ADD "mapping" jsonb
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "batch" DROP COLUMN "mapping"
        `);
  }
}
