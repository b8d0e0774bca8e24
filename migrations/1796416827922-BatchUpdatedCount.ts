import { MigrationInterface, QueryRunner } from 'typeorm';

/** Rows that corrected a comment stored earlier (re-uploaded with the same reference). */
export class BatchUpdatedCount1796416827922 implements MigrationInterface {
  name = 'BatchUpdatedCount1796416827922';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "batch" ADD "updated" integer NOT NULL DEFAULT '0'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Corrections recorded meanwhile become duplicates again, as the counts before this knew them.
    await queryRunner.query(
      `UPDATE "batch" SET "duplicates" = "duplicates" + "updated" WHERE "updated" > 0`,
    );
    await queryRunner.query(
      `UPDATE "rejected_row" SET "outcome" = 'duplicate' WHERE "outcome" = 'updated'`,
    );
    await queryRunner.query(`ALTER TABLE "batch" DROP COLUMN "updated"`);
  }
}
