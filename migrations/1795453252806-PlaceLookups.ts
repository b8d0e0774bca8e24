import { MigrationInterface, QueryRunner } from 'typeorm';

export class PlaceLookups1795453252806 implements MigrationInterface {
  name = 'PlaceLookups1795453252806';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "gp_practice" ("code" text NOT NULL, "name" text NOT NULL, "postcode_district" text, "lad_code" text, "active" boolean NOT NULL DEFAULT true, CONSTRAINT "PK_1bf0dd1fdd7eecc070bb1a777a8" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "postcode_lookup" ("postcode" text NOT NULL, "lad_code" text NOT NULL, CONSTRAINT "PK_e5daff7c3fb70da740cf1559b40" PRIMARY KEY ("postcode"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "postcode_lookup"`);
    await queryRunner.query(`DROP TABLE "gp_practice"`);
  }
}
