import { MigrationInterface, QueryRunner } from 'typeorm';

export class AccessControl1795460921971 implements MigrationInterface {
  name = 'AccessControl1795460921971';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "api_key" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "prefix" text NOT NULL,
                "secret_hash" character(64) NOT NULL,
                "name" text NOT NULL DEFAULT '',
                "organisation_id" uuid NOT NULL,
                "role" text NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE,
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                "last_used_at" TIMESTAMP WITH TIME ZONE,
                "created_by" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_c4f6ccad30c0862eb54af9fb0ac" UNIQUE ("prefix"),
                CONSTRAINT "PK_b1bd840641b8acbaad89c3d8d11" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "app_user" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "email" text NOT NULL,
                "display_name" text NOT NULL DEFAULT '',
                "role" text NOT NULL,
                "organisation_id" uuid NOT NULL,
                "password_hash" text,
                "oidc_issuer" text,
                "oidc_subject" text,
                "failed_sign_ins" integer NOT NULL DEFAULT '0',
                "locked_until" TIMESTAMP WITH TIME ZONE,
                "last_sign_in_at" TIMESTAMP WITH TIME ZONE,
                "disabled" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_3fa909d0e37c531ebc237703391" UNIQUE ("email"),
                CONSTRAINT "PK_22a5c4a3d9b2fb8e4e73fc4ada1" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "app_user_oidc_subject_uq" ON "app_user" ("oidc_issuer", "oidc_subject")
            WHERE oidc_subject IS NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_event"
            ADD "actor" text NOT NULL DEFAULT ''
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_event"
            ADD "ip" text
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_event_target_idx" ON "audit_event" ("target_type", "target_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_event_actor_idx" ON "audit_event" ("actor", "occurred_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "api_key"
            ADD CONSTRAINT "FK_656bf45bf240ad0a5aced63ae53" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "app_user"
            ADD CONSTRAINT "FK_6fa42e978fa7d7adc32736e26fd" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    // The audit log is append-only: no UPDATE or DELETE, whoever asks.
    await queryRunner.query(`
            CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_event rows cannot be changed or deleted';
            END $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON "audit_event"
            FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_event_append_only ON "audit_event"`);
    await queryRunner.query(`DROP FUNCTION audit_event_append_only()`);
    await queryRunner.query(`
            ALTER TABLE "app_user" DROP CONSTRAINT "FK_6fa42e978fa7d7adc32736e26fd"
        `);
    await queryRunner.query(`
            ALTER TABLE "api_key" DROP CONSTRAINT "FK_656bf45bf240ad0a5aced63ae53"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_event_actor_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_event_target_idx"
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_event" DROP COLUMN "ip"
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_event" DROP COLUMN "actor"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."app_user_oidc_subject_uq"
        `);
    await queryRunner.query(`
            DROP TABLE "app_user"
        `);
    await queryRunner.query(`
            DROP TABLE "api_key"
        `);
  }
}
