import 'reflect-metadata';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { ConfigValidationError, configErrorReport } from '../config/env.schema';
import { registerCommands } from './commands';
import { projectRoot } from '../common/project-root';

function bankVersion(): string {
  const pkg = path.join(projectRoot(), 'package.json');
  return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version;
}

const program = new Command();
program
  .name('insight-bank')
  .description(
    'Insight Bank: one searchable home for what patients, carers and communities tell the health and care system.',
  )
  .version(bankVersion(), '-V, --version', 'print the version of the Insight Bank')
  .showHelpAfterError();
registerCommands(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(
    e instanceof ConfigValidationError ? configErrorReport(e) : `Error: ${(e as Error).message}\n`,
  );
  process.exit(1);
});
