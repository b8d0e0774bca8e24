import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A partner's own codes for answers (value map) kept with the batch like its column map, and the
 * demographic answers the bank could not place (de-identified, cut short, the most frequent few
 * per field), gathered per chunk and summed into the batch when enrichment ends.
 */
export class BatchValueMaps1796420000000 implements MigrationInterface {
  name = 'BatchValueMaps1796420000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "batch" ADD "value_map" jsonb`);
    await queryRunner.query(`ALTER TABLE "batch" ADD "unplaced_values" jsonb`);
    await queryRunner.query(`ALTER TABLE "batch_chunk" ADD "unplaced" jsonb NOT NULL DEFAULT '{}'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "batch_chunk" DROP COLUMN "unplaced"`);
    await queryRunner.query(`ALTER TABLE "batch" DROP COLUMN "unplaced_values"`);
    await queryRunner.query(`ALTER TABLE "batch" DROP COLUMN "value_map"`);
  }
}
