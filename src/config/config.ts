import * as fs from 'node:fs';
import { parse } from 'dotenv';
import { validateEnvironment, type AppConfig } from './env.schema';

export const APP_CONFIG = Symbol('APP_CONFIG');

let cached: AppConfig | undefined;

/** Values from a `.env` file in the working directory; real environment variables win. */
function dotEnvValues(): Record<string, string> {
  const file = '.env';
  if (process.env.NODE_ENV === 'test' || !fs.existsSync(file)) return {};
  return parse(fs.readFileSync(file));
}

/** The one place that reads `process.env`. Throws ConfigValidationError naming every bad variable. */
export function loadConfig(): AppConfig {
  cached ??= validateEnvironment({ ...dotEnvValues(), ...process.env });
  return cached;
}

/** Configuration for an explicit environment (tests, child processes); not cached. */
export function configFrom(env: Record<string, string | undefined>): AppConfig {
  return validateEnvironment(env);
}

export function resetConfigCache(): void {
  cached = undefined;
}
