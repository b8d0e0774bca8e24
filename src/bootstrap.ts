import {
  type INestApplication,
  type INestApplicationContext,
  Logger as NestLogger,
  ValidationPipe,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Server } from 'node:http';
import { Logger } from 'nestjs-pino';
import { applyHttpSecurity } from './access/http-security';
import { ApiModule } from './api.module';
import { CombinedModule } from './combined.module';
import { AllExceptionsFilter } from './common/http-exception.filter';
import { TextInputPipe } from './common/text-input.pipe';
import { loadConfig } from './config/config';
import { ConfigValidationError, configErrorReport, type AppConfig } from './config/env.schema';
import { applyWebViews } from './web/web-views';
import { WorkerModule } from './worker.module';

export type ProcessRole = 'api' | 'worker' | 'all';

/** The address people open: `localhost` when the api listens on every interface. */
export function bankUrl(config: Pick<AppConfig, 'HOST' | 'PORT'>): string {
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  return `http://${host}:${config.PORT}`;
}

/** Applies what every HTTP app of the bank shares (used by the entry points and the e2e tests). */
export function configureHttpApp(app: INestApplication): void {
  applyHttpSecurity(app, loadConfig());
  app.useGlobalPipes(
    new TextInputPipe(),
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  app.useGlobalFilters(new AllExceptionsFilter(loadConfig().UPLOAD_MAX_BYTES));
  applyWebViews(app);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Insight Bank API')
      .setDescription(
        'Upload, search and trace what patients, carers and communities tell the health and care system.',
      )
      .setVersion('1')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        description: 'API key: ib_<prefix>_<secret>',
      })
      .addCookieAuth('ib.sid')
      .addSecurityRequirements('bearer')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}

function moduleFor(role: ProcessRole): unknown {
  switch (role) {
    case 'api':
      return ApiModule;
    case 'worker':
      return WorkerModule;
    case 'all':
      return CombinedModule;
  }
}

/**
 * Starts the api, the worker or both. On SIGTERM/SIGINT it stops taking work, closes HTTP, the
 * queues and the child Meilisearch, and exits; a hard deadline makes sure it exits in time.
 */
export async function runProcess(role: ProcessRole): Promise<INestApplicationContext> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigValidationError) {
      process.stderr.write(configErrorReport(e));
      process.exit(1);
    }
    throw e;
  }
  const root = moduleFor(role) as Parameters<typeof NestFactory.create>[0];
  let app: INestApplicationContext;
  if (role === 'worker') {
    app = await NestFactory.createApplicationContext(root, { bufferLogs: true });
  } else {
    const http = await NestFactory.create(root, { bufferLogs: true });
    configureHttpApp(http);
    app = http;
  }
  app.useLogger(app.get(Logger));
  installSignalHandlers(app, config.SHUTDOWN_TIMEOUT_MS);
  const log = new NestLogger('InsightBank');
  if (role !== 'worker') {
    const http = app as INestApplication;
    await http.listen(config.PORT, config.HOST).catch(async (e: { code?: string }) => {
      if (e.code !== 'EADDRINUSE') throw e;
      await app.close().catch(() => undefined);
      throw new Error(
        `Port ${config.PORT} is already in use: is the Insight Bank already running (${bankUrl(config)}/health)? Stop it, or set PORT to a free port.`,
      );
    });
    const url = bankUrl(config);
    log.log(
      `Insight Bank ${role === 'all' ? 'api and worker' : 'api'} listening on ${url} (API docs at ${url}/api/docs)`,
    );
    process.stdout.write(
      `\nInsight Bank is running at ${url}  (API docs: ${url}/api/docs, health: ${url}/health)\n\n`,
    );
  } else {
    await app.init();
    log.log('Insight Bank worker started');
  }
  return app;
}

/**
 * Closes the HTTP server and waits (at most `waitMs`) for the requests in flight to answer, before
 * the app's own shutdown starts: otherwise a request still running when the modules close could
 * queue an audit row after the audit log's last write, or find the database gone.
 */
async function stopTakingRequests(app: INestApplicationContext, waitMs: number): Promise<void> {
  if (!('getHttpServer' in app)) return;
  const server = (app as INestApplication).getHttpServer() as Server;
  if (!server.listening) return;
  let timer: NodeJS.Timeout | undefined;
  // close() drops the connections idle now; a kept-alive one whose request finishes later would
  // otherwise hold the server open for its keep-alive time.
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  await Promise.race([
    new Promise<void>((resolve) => server.close(() => resolve())),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs))),
  ]);
  clearInterval(sweep);
  clearTimeout(timer);
}

function installSignalHandlers(app: INestApplicationContext, timeoutMs: number): void {
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    process.stderr.write(`${signal} received: the Insight Bank is stopping.\n`);
    new NestLogger('InsightBank').log(`${signal} received: shutting down`);
    const deadline = setTimeout(() => {
      process.stderr.write(`Shutdown took longer than ${timeoutMs} ms; exiting now.\n`);
      process.exit(1);
    }, timeoutMs);
    deadline.unref();
    stopTakingRequests(app, timeoutMs / 2)
      .then(() => app.close())
      .then(() => {
        process.stderr.write('The Insight Bank stopped.\n');
        process.exit(0);
      })
      .catch((e: unknown) => {
        process.stderr.write(`Error during shutdown: ${(e as Error).message}\n`);
        process.exit(1);
      });
  };
  // `on`, not `once`: Ctrl-C reaches the bank twice (from the terminal and forwarded by npm), and a
  // second signal with no listener left would kill the process half-way through closing.
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
