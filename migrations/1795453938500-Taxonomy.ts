import { MigrationInterface, QueryRunner } from 'typeorm';

export class Taxonomy1795453938500 implements MigrationInterface {
  name = 'Taxonomy1795453938500';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "tag_event" ("id" BIGSERIAL NOT NULL, "insight_id" uuid NOT NULL, "actor" text NOT NULL, "action" text NOT NULL, "theme_code" text, "before" jsonb NOT NULL, "after" jsonb NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_93c6c3362ae48e7cd6810426491" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "tag_event_insight_idx" ON "tag_event" ("insight_id", "at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "tagger_model" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "version" integer NOT NULL, "labels" jsonb NOT NULL, "crosswalk" jsonb NOT NULL DEFAULT '{}', "model" jsonb NOT NULL, "metrics" jsonb, "trained_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "trained_on" text NOT NULL, "active" boolean NOT NULL DEFAULT false, "activated_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_c31b866dd8b06d73e1b52a9c9e5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "tagger_model_one_active_uq" ON "tagger_model" ("name") WHERE active`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "tagger_model_name_version_uq" ON "tagger_model" ("name", "version") `,
    );
    await queryRunner.query(
      `CREATE TABLE "taxonomy_version" ("version" integer NOT NULL, "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "summary" text NOT NULL, CONSTRAINT "PK_c66ff54df904ea14a29d81ac5dc" PRIMARY KEY ("version"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "theme" ("code" text NOT NULL, "name" text NOT NULL, "parent_code" text, "kind" text NOT NULL, "description" text NOT NULL DEFAULT '', "lexicon" jsonb NOT NULL DEFAULT '{"phrases": []}', "active" boolean NOT NULL DEFAULT true, "version" integer NOT NULL DEFAULT '1', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d39e888e20592fb5fb0ff9c2f08" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(`CREATE INDEX "theme_parent_idx" ON "theme" ("parent_code") `);
    await queryRunner.query(
      `ALTER TABLE "tag_event" ADD CONSTRAINT "FK_f4a44a316bd46be9b8eda966c2b" FOREIGN KEY ("insight_id") REFERENCES "insight"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "tag_event" DROP CONSTRAINT "FK_f4a44a316bd46be9b8eda966c2b"`,
    );
    await queryRunner.query(`DROP INDEX "public"."theme_parent_idx"`);
    await queryRunner.query(`DROP TABLE "theme"`);
    await queryRunner.query(`DROP TABLE "taxonomy_version"`);
    await queryRunner.query(`DROP INDEX "public"."tagger_model_name_version_uq"`);
    await queryRunner.query(`DROP INDEX "public"."tagger_model_one_active_uq"`);
    await queryRunner.query(`DROP TABLE "tagger_model"`);
    await queryRunner.query(`DROP INDEX "public"."tag_event_insight_idx"`);
    await queryRunner.query(`DROP TABLE "tag_event"`);
  }
}
