import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795450402777 implements MigrationInterface {
  name = 'Initial1795450402777';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_event" ("id" BIGSERIAL NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor_type" text NOT NULL, "actor_id" text, "organisation_id" uuid, "action" text NOT NULL, "target_type" text, "target_id" text, "details" jsonb NOT NULL DEFAULT '{}', "request_id" text, CONSTRAINT "PK_481efbe8b0a403efe3f47a6528f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "audit_event_action_idx" ON "audit_event" ("action") `);
    await queryRunner.query(
      `CREATE INDEX "audit_event_occurred_idx" ON "audit_event" ("occurred_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "organisation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "name" text NOT NULL, "kind" text NOT NULL, "trusted" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_6a3122daf3cb06cb4f1f87ae642" UNIQUE ("code"), CONSTRAINT "PK_c725ae234ef1b74cce43d2d00c1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "batch" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "source_type" text NOT NULL, "title" text NOT NULL, "collection_method" text, "collected_from" date, "collected_to" date, "sample_description" text, "lawful_basis" text, "sharing_level" text NOT NULL DEFAULT 'icb', "retention_until" date, "file_name" text NOT NULL, "file_sha256" character(64) NOT NULL, "file_size" bigint NOT NULL, "storage_key" text, "profile" text, "column_map" jsonb, "options" jsonb NOT NULL DEFAULT '{}', "status" text NOT NULL DEFAULT 'received', "received" integer NOT NULL DEFAULT '0', "accepted" integer NOT NULL DEFAULT '0', "rejected" integer NOT NULL DEFAULT '0', "duplicates" integer NOT NULL DEFAULT '0', "indexed" integer NOT NULL DEFAULT '0', "rows_read" integer NOT NULL DEFAULT '0', "parse_complete" boolean NOT NULL DEFAULT false, "error_summary" jsonb NOT NULL DEFAULT '{}', "error_message" text, "created_by" text, "started_at" TIMESTAMP WITH TIME ZONE, "parsed_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_57da3b830b57bec1fd329dcaf43" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "batch_status_idx" ON "batch" ("status") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "batch_org_sha256_uq" ON "batch" ("organisation_id", "file_sha256") `,
    );
    await queryRunner.query(
      `CREATE TABLE "rejected_row" ("batch_id" uuid NOT NULL, "row_number" integer NOT NULL, "part" smallint NOT NULL DEFAULT '0', "outcome" text NOT NULL, "reason" text NOT NULL, "field" text, "message" text NOT NULL, "duplicate_of" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_fd874dfbc5c8b39ead282f7452d" PRIMARY KEY ("batch_id", "row_number", "part"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "insight" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "batch_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "row_number" integer NOT NULL, "part" smallint NOT NULL DEFAULT '0', "external_ref" text, "content_hash" character(64) NOT NULL, "dedup_key" text NOT NULL, "text" text NOT NULL, "question" text, "comment_date" date, "source_type" text NOT NULL, "sharing_level" text NOT NULL, "postcode_district" text, "lad_code" text, "hcp_area" text, "service" text, "gp_practice" text, "place_resolved_by" text NOT NULL DEFAULT 'none', "age_band" text NOT NULL DEFAULT 'unknown', "sex" text NOT NULL DEFAULT 'unknown', "gender_identity" text NOT NULL DEFAULT 'unknown', "ethnicity_group" text NOT NULL DEFAULT 'unknown', "ethnicity_detail" text NOT NULL DEFAULT 'unknown', "disability" text NOT NULL DEFAULT 'unknown', "carer" text NOT NULL DEFAULT 'unknown', "sexual_orientation" text NOT NULL DEFAULT 'unknown', "religion" text NOT NULL DEFAULT 'unknown', "deprivation_decile" smallint, "themes" jsonb NOT NULL DEFAULT '[]', "theme_codes" text array NOT NULL DEFAULT '{}', "sentiment" text, "sentiment_score" real, "language" text NOT NULL DEFAULT 'und', "redaction" jsonb NOT NULL DEFAULT '{}', "needs_review" boolean NOT NULL DEFAULT false, "safeguarding" boolean NOT NULL DEFAULT false, "moderation_status" text NOT NULL DEFAULT 'approved', "metadata" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5463e33a58a28dc54d8fb7fea65" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "insight_comment_date_idx" ON "insight" ("comment_date") `,
    );
    await queryRunner.query(
      `CREATE INDEX "insight_batch_row_idx" ON "insight" ("batch_id", "row_number", "part") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "insight_org_dedup_uq" ON "insight" ("organisation_id", "dedup_key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "index_outbox" ("id" BIGSERIAL NOT NULL, "insight_id" uuid NOT NULL, "batch_id" uuid, "operation" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3efe4ed2b120046a748bc879620" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "index_outbox_insight_idx" ON "index_outbox" ("insight_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "batch" ADD CONSTRAINT "FK_be6ea19f24fb878c24f04043da0" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "rejected_row" ADD CONSTRAINT "FK_48f52ec2534869b3ff83a8fd1fb" FOREIGN KEY ("batch_id") REFERENCES "batch"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "insight" ADD CONSTRAINT "FK_e9fe30c48dc72d36d4c12d4a432" FOREIGN KEY ("batch_id") REFERENCES "batch"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "insight" ADD CONSTRAINT "FK_c05980207a30910ee8ee9118718" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "insight" DROP CONSTRAINT "FK_c05980207a30910ee8ee9118718"`,
    );
    await queryRunner.query(
      `ALTER TABLE "insight" DROP CONSTRAINT "FK_e9fe30c48dc72d36d4c12d4a432"`,
    );
    await queryRunner.query(
      `ALTER TABLE "rejected_row" DROP CONSTRAINT "FK_48f52ec2534869b3ff83a8fd1fb"`,
    );
    await queryRunner.query(`ALTER TABLE "batch" DROP CONSTRAINT "FK_be6ea19f24fb878c24f04043da0"`);
    await queryRunner.query(`DROP INDEX "public"."index_outbox_insight_idx"`);
    await queryRunner.query(`DROP TABLE "index_outbox"`);
    await queryRunner.query(`DROP INDEX "public"."insight_org_dedup_uq"`);
    await queryRunner.query(`DROP INDEX "public"."insight_batch_row_idx"`);
    await queryRunner.query(`DROP INDEX "public"."insight_comment_date_idx"`);
    await queryRunner.query(`DROP TABLE "insight"`);
    await queryRunner.query(`DROP TABLE "rejected_row"`);
    await queryRunner.query(`DROP INDEX "public"."batch_org_sha256_uq"`);
    await queryRunner.query(`DROP INDEX "public"."batch_status_idx"`);
    await queryRunner.query(`DROP TABLE "batch"`);
    await queryRunner.query(`DROP TABLE "organisation"`);
    await queryRunner.query(`DROP INDEX "public"."audit_event_occurred_idx"`);
    await queryRunner.query(`DROP INDEX "public"."audit_event_action_idx"`);
    await queryRunner.query(`DROP TABLE "audit_event"`);
  }
}
