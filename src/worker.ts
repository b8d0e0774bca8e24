import 'reflect-metadata';
import { runProcess } from './bootstrap';

/** The worker process: BullMQ processors for ingest, enrich, index and maintenance. */
runProcess('worker').catch((e: unknown) => {
  process.stderr.write(`The Insight Bank worker could not start: ${(e as Error).message}\n`);
  process.exit(1);
});
