import { MigrationInterface, QueryRunner } from 'typeorm';

export class BatchChunks1795451986419 implements MigrationInterface {
  name = 'BatchChunks1795451986419';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "batch_chunk" ("batch_id" uuid NOT NULL, "chunk_no" integer NOT NULL, "first_row" integer NOT NULL, "last_row" integer NOT NULL, "size" integer NOT NULL, "status" text NOT NULL DEFAULT 'pending', "stats" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "done_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_c37747c922084ff66e617d552db" PRIMARY KEY ("batch_id", "chunk_no"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "batch_chunk" ADD CONSTRAINT "FK_dd16a811e21f24c2ae8bed14504" FOREIGN KEY ("batch_id") REFERENCES "batch"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "batch_chunk" DROP CONSTRAINT "FK_dd16a811e21f24c2ae8bed14504"`,
    );
    await queryRunner.query(`DROP TABLE "batch_chunk"`);
  }
}
