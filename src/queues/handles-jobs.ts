import { SetMetadata } from '@nestjs/common';
import type { JobName } from './queue-names';

export const HANDLED_JOBS_METADATA = 'insight-bank:handled-jobs';

/**
 * The job names a processor class handles, read by the start-up check beside the queue that
 * @Processor() names, so a job added with no code to run it stops the worker starting.
 */
export const HandlesJobs = (...jobs: JobName[]): ClassDecorator =>
  SetMetadata(HANDLED_JOBS_METADATA, jobs);
