import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two batch columns nothing used: `storage_key` was written (always the batch id, which already
 * names the uploaded file in the file store) and never read; `created_by` was never written (the
 * audit log records who uploaded a batch).
 */
export class DropUnusedBatchColumns1796420700000 implements MigrationInterface {
  name = 'DropUnusedBatchColumns1796420700000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "batch" DROP COLUMN "storage_key"`);
    await queryRunner.query(`ALTER TABLE "batch" DROP COLUMN "created_by"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "batch" ADD "created_by" text`);
    await queryRunner.query(`ALTER TABLE "batch" ADD "storage_key" text`);
    // What the upload wrote; a deleted batch's was cleared.
    await queryRunner.query(
      `UPDATE "batch" SET "storage_key" = "id"::text WHERE "status" <> 'deleted'`,
    );
  }
}
