import 'reflect-metadata';
import { runProcess } from './bootstrap';

/** The API process (production runs it apart from the worker). */
runProcess('api').catch((e: unknown) => {
  process.stderr.write(`The Insight Bank api could not start: ${(e as Error).message}\n`);
  process.exit(1);
});
