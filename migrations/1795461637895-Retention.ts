import { MigrationInterface, QueryRunner } from 'typeorm';

export class Retention1795461637895 implements MigrationInterface {
  name = 'Retention1795461637895';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "batch"
            ADD "deleted_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "batch"
            ADD "deleted_by" text
        `);
    await queryRunner.query(`
            ALTER TABLE "batch"
            ADD "deletion_reason" text
        `);
    // TypeORM does not compare index conditions, so this change to the entity's index is written by hand.
    await queryRunner.query(`
            DROP INDEX "public"."batch_org_sha256_uq"
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "batch_org_sha256_uq" ON "batch" ("organisation_id", "file_sha256")
            WHERE status <> 'deleted'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."batch_org_sha256_uq"
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "batch_org_sha256_uq" ON "batch" ("organisation_id", "file_sha256")
        `);
    await queryRunner.query(`
            ALTER TABLE "batch" DROP COLUMN "deletion_reason"
        `);
    await queryRunner.query(`
            ALTER TABLE "batch" DROP COLUMN "deleted_by"
        `);
    await queryRunner.query(`
            ALTER TABLE "batch" DROP COLUMN "deleted_at"
        `);
  }
}
