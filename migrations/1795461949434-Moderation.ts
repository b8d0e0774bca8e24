import { MigrationInterface, QueryRunner } from 'typeorm';

export class Moderation1795461949434 implements MigrationInterface {
  name = 'Moderation1795461949434';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "batch"
            ADD "review_status" text NOT NULL DEFAULT 'approved'
        `);
    await queryRunner.query(`
            ALTER TABLE "batch"
            ADD "reviewed_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "batch"
            ADD "reviewed_by" text
        `);
    await queryRunner.query(`
            ALTER TABLE "batch"
            ADD "review_reason" text
        `);
    await queryRunner.query(`
            CREATE INDEX "batch_awaiting_review_idx" ON "batch" ("created_at")
            WHERE review_status = 'awaiting_review'
        `);
    await queryRunner.query(`
            CREATE INDEX "insight_safeguarding_idx" ON "insight" ("created_at")
            WHERE safeguarding
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."insight_safeguarding_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."batch_awaiting_review_idx"
        `);
    await queryRunner.query(`
            ALTER TABLE "batch" DROP COLUMN "review_reason"
        `);
    await queryRunner.query(`
            ALTER TABLE "batch" DROP COLUMN "reviewed_by"
        `);
    await queryRunner.query(`
            ALTER TABLE "batch" DROP COLUMN "reviewed_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "batch" DROP COLUMN "review_status"
        `);
  }
}
