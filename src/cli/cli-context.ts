import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { logTarget } from '../common/logger';
import { loadConfig } from '../config/config';
import { CliModule } from './cli.module';

/** Runs `work` inside a Nest application context, always closing it (and any bundled Meilisearch) after. */
export async function withContext<T>(
  opts: { withWorkers?: boolean },
  work: (app: INestApplicationContext) => Promise<T>,
): Promise<T> {
  // A bad setting is reported by the CLI's own handler, naming each variable, not by Nest's stack trace.
  loadConfig();
  logTarget.stream = process.stderr;
  logTarget.level ??= 'warn';
  const app = await NestFactory.createApplicationContext(CliModule.forCommand(opts), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  try {
    await app.init();
    return await work(app);
  } finally {
    await app.close();
  }
}
