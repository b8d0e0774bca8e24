import { Global, Module } from '@nestjs/common';

/**
 * Whether this process's workers keep the schedules held in Redis (tagger retrain, retention) in
 * step with its configuration. Worker processes do; a CLI command that runs the workers for a
 * while (`import --wait`) does not, so a shell without the workers' environment cannot remove or
 * change the bank's schedules.
 */
export const OWNS_SCHEDULES = Symbol('OWNS_SCHEDULES');

/** Imported by CLI commands that run the job processors in their own process. */
@Global()
@Module({
  providers: [{ provide: OWNS_SCHEDULES, useValue: false }],
  exports: [OWNS_SCHEDULES],
})
export class BorrowedWorkersModule {}
