import { MigrationInterface, QueryRunner } from 'typeorm';

/** When a person last changed their password: sessions signed in before it end. */
export class PasswordChangedAt1796418684866 implements MigrationInterface {
  name = 'PasswordChangedAt1796418684866';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "app_user" ADD "password_changed_at" TIMESTAMP WITH TIME ZONE
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "app_user" DROP COLUMN "password_changed_at"
        `);
  }
}
