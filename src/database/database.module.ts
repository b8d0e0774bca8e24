import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { dataSourceOptions } from './data-source';
import { ensureDatabase, runMigrations } from './database-bootstrap';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.DATABASE_URL),
        runMigrations: config.RUN_MIGRATIONS,
      }),
      dataSourceFactory: async (options) => {
        const { runMigrations: migrate, ...rest } = options as typeof options & {
          runMigrations: boolean;
          url: string;
        };
        await ensureDatabase(rest.url);
        const ds = await new DataSource(rest).initialize();
        if (migrate) {
          const applied = await runMigrations(ds);
          if (applied.length)
            new Logger('Database').log(`Applied migrations: ${applied.join(', ')}`);
        }
        return ds;
      },
    }),
  ],
})
export class DatabaseModule {}
