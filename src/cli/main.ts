import 'reflect-metadata';
import { Command } from 'commander';
import { ConfigValidationError, configErrorReport } from '../config/env.schema';
import { registerCommands } from './commands';

const program = new Command();
program
  .name('insight-bank')
  .description(
    'Insight Bank: one searchable home for what patients, carers and communities tell the health and care system.',
  )
  .showHelpAfterError();
registerCommands(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(
    e instanceof ConfigValidationError ? configErrorReport(e) : `Error: ${(e as Error).message}\n`,
  );
  process.exit(1);
});
