import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import {
  DEFAULT_OIDC_BUTTON_LABEL,
  DEFAULT_OIDC_ROLE_CLAIM,
  DEFAULT_OIDC_SCOPES,
  oidcProblems,
} from '../access/oidc/oidc-settings';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};
const blankToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
const blankToDefault =
  (fallback: string) =>
  ({ value }: { value: unknown }): unknown =>
    typeof value === 'string' && value.trim() === '' ? fallback : value;

/**
 * Every environment variable the bank reads. Defaults work on a developer machine; the README's
 * configuration table and `.env.example` list the same names (a test keeps the three in step).
 */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt({ message: 'PORT must be a whole number between 1 and 65535' })
  @Min(1)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @Matches(/^postgres(ql)?:\/\/.+/, {
    message:
      'DATABASE_URL must be a postgres:// URL, e.g. postgres://postgres@127.0.0.1:5432/insight_bank',
  })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/insight_bank';

  @Transform(toBool)
  @IsBoolean({ message: 'RUN_MIGRATIONS must be true or false' })
  RUN_MIGRATIONS = true;

  @Matches(/^rediss?:\/\/.+/, {
    message: 'REDIS_URL must be a redis:// URL, e.g. redis://127.0.0.1:6379',
  })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'QUEUE_PREFIX may hold only letters, digits, _ and -' })
  QUEUE_PREFIX = 'insight-bank';

  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'MEILI_URL must be an http(s):// URL' })
  MEILI_URL?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'MEILI_MASTER_KEY must be at least 16 characters' })
  MEILI_MASTER_KEY?: string;

  @IsString()
  MEILI_DATA_DIR = '.data/meilisearch';

  @Transform(toInt)
  @IsInt({ message: 'MEILI_PORT must be a whole number between 1 and 65535' })
  @Min(1)
  @Max(65535)
  MEILI_PORT = 7700;

  @Matches(/^[A-Za-z0-9_-]*$/, {
    message: 'MEILI_INDEX_PREFIX may hold only letters, digits, _ and -',
  })
  MEILI_INDEX_PREFIX = '';

  /** Empty: `warn` for readable lines in a terminal, `info` for JSON (see LOG_FORMAT). */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be fatal, error, warn, info, debug, trace, silent or empty',
  })
  LOG_LEVEL?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

  /** `auto`: readable lines in a terminal, JSON otherwise and always in production. */
  @IsIn(['auto', 'json', 'pretty'], { message: 'LOG_FORMAT must be auto, json or pretty' })
  LOG_FORMAT: 'auto' | 'json' | 'pretty' = 'auto';

  @Transform(toInt)
  @IsInt({ message: 'SHUTDOWN_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(1000)
  @Max(60000)
  SHUTDOWN_TIMEOUT_MS = 9000;

  @Transform(toInt)
  @IsInt({ message: 'WORKER_CONCURRENCY must be a whole number' })
  @Min(1)
  @Max(64)
  WORKER_CONCURRENCY = 4;

  @IsString()
  UPLOAD_DIR = '.data/uploads';

  @Transform(toInt)
  @IsInt({ message: 'UPLOAD_MAX_BYTES must be a whole number of bytes' })
  @Min(1024)
  UPLOAD_MAX_BYTES = 200 * 1024 * 1024;

  @Transform(toInt)
  @IsInt({ message: 'XLSX_MAX_UNCOMPRESSED_BYTES must be a whole number of bytes' })
  @Min(1024 * 1024)
  XLSX_MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  PLACES_FILE?: string;

  @Transform(toInt)
  @IsInt({ message: 'SWEEP_INTERVAL_MS must be a whole number of milliseconds' })
  @Min(500)
  @Max(3_600_000)
  SWEEP_INTERVAL_MS = 60_000;

  @Transform(toInt)
  @IsInt({ message: 'MAX_COMMENT_LENGTH must be a whole number of characters' })
  @Min(100)
  @Max(1_000_000)
  MAX_COMMENT_LENGTH = 20_000;

  @Transform(toInt)
  @IsInt({ message: 'RETENTION_DEFAULT_YEARS must be a whole number of years' })
  @Min(1)
  @Max(100)
  RETENTION_DEFAULT_YEARS = 7;

  /** Hours between runs of the job that deletes batches past their retention date. */
  @Transform(toInt)
  @IsInt({ message: 'RETENTION_SWEEP_INTERVAL_HOURS must be a whole number of hours' })
  @Min(1)
  @Max(8760)
  RETENTION_SWEEP_INTERVAL_HOURS = 24;

  @Transform(toInt)
  @IsInt({ message: 'DISCLOSURE_THRESHOLD must be a whole number of comments' })
  @Min(1)
  @Max(1000)
  DISCLOSURE_THRESHOLD = 10;

  @Transform(toInt)
  @IsInt({ message: 'EXPORT_MAX_ROWS must be a whole number of rows' })
  @Min(1)
  @Max(10_000_000)
  EXPORT_MAX_ROWS = 100_000;

  /** The theme model the worker retrains from reviewed insights on a schedule; empty: none. */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @Matches(/^([A-Za-z0-9][A-Za-z0-9._-]{0,99})?$/, {
    message:
      'TAGGER_RETRAIN_MODEL must be empty or a model name of letters, digits, ".", "_" and "-" (at most 100)',
  })
  TAGGER_RETRAIN_MODEL = '';

  @Transform(toInt)
  @IsInt({ message: 'TAGGER_RETRAIN_INTERVAL_HOURS must be a whole number of hours' })
  @Min(1)
  @Max(8760)
  TAGGER_RETRAIN_INTERVAL_HOURS = 24;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'SESSION_SECRET must be at least 32 characters' })
  SESSION_SECRET?: string;

  /**
   * Key of the keyed hash (HMAC-SHA256) that row references are de-duplicated on, so a reference
   * holding an identifier is never stored. Required in production; see referenceHashSecret().
   */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'REFERENCE_HASH_SECRET must be at least 32 characters' })
  REFERENCE_HASH_SECRET?: string;

  @Transform(toInt)
  @IsInt({ message: 'SESSION_IDLE_MINUTES must be a whole number of minutes' })
  @Min(1)
  @Max(24 * 60)
  SESSION_IDLE_MINUTES = 60;

  /** However active, a session ends this long after sign-in (the person signs in again). */
  @Transform(toInt)
  @IsInt({ message: 'SESSION_MAX_HOURS must be a whole number of hours' })
  @Min(1)
  @Max(24 * 30)
  SESSION_MAX_HOURS = 12;

  @IsIn(['auto', 'true', 'false'], { message: 'COOKIE_SECURE must be auto, true or false' })
  COOKIE_SECURE: 'auto' | 'true' | 'false' = 'auto';

  @Transform(toBool)
  @IsBoolean({ message: 'ALLOW_ANONYMOUS_SEARCH must be true or false' })
  ALLOW_ANONYMOUS_SEARCH = false;

  @Transform(toInt)
  @IsInt({ message: 'RATE_LIMIT_PER_MINUTE must be a whole number of requests' })
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE = 600;

  @Transform(toInt)
  @IsInt({ message: 'SIGN_IN_ATTEMPTS_PER_15_MINUTES must be a whole number of attempts' })
  @Min(1)
  @Max(1000)
  SIGN_IN_ATTEMPTS_PER_15_MINUTES = 10;

  @IsString()
  @Matches(/^(false|true|\d+|[0-9a-fA-F.:/, ]+|loopback|linklocal|uniquelocal)$/, {
    message: 'TRUST_PROXY must be false, true, a hop count or a list of proxy addresses',
  })
  TRUST_PROXY = 'false';

  /** OIDC sign-in is on only when OIDC_ISSUER is set; oidcProblems() checks the rest. */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  OIDC_ISSUER?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  OIDC_CLIENT_ID?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  OIDC_CLIENT_SECRET?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  OIDC_REDIRECT_URL?: string;

  @Transform(blankToDefault(DEFAULT_OIDC_SCOPES))
  @IsString()
  OIDC_SCOPES = DEFAULT_OIDC_SCOPES;

  @Transform(blankToDefault(DEFAULT_OIDC_ROLE_CLAIM))
  @IsString()
  OIDC_ROLE_CLAIM = DEFAULT_OIDC_ROLE_CLAIM;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  OIDC_ROLE_MAP?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  OIDC_ORG_CLAIM?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  OIDC_DEFAULT_ORG?: string;

  @Transform(blankToDefault(DEFAULT_OIDC_BUTTON_LABEL))
  @IsString()
  OIDC_BUTTON_LABEL = DEFAULT_OIDC_BUTTON_LABEL;
}

export type AppConfig = Readonly<EnvironmentVariables>;

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'ConfigValidationError';
  }
}

/** Names of every variable the schema knows, for docs and the drift test. */
export function knownVariables(): string[] {
  return Object.keys(new EnvironmentVariables())
    .concat([
      'MEILI_URL',
      'MEILI_MASTER_KEY',
      'PLACES_FILE',
      'SESSION_SECRET',
      'REFERENCE_HASH_SECRET',
      'LOG_LEVEL',
    ])
    .concat([
      'OIDC_ISSUER',
      'OIDC_CLIENT_ID',
      'OIDC_CLIENT_SECRET',
      'OIDC_REDIRECT_URL',
      'OIDC_ROLE_MAP',
      'OIDC_ORG_CLAIM',
      'OIDC_DEFAULT_ORG',
    ])
    .filter((v, i, all) => all.indexOf(v) === i);
}

/** Range checks only make sense once the type is right: "abc" is not a whole number, not too big. */
const RANGE_CONSTRAINTS = new Set(['min', 'max', 'minLength', 'maxLength']);

function firstProblem(constraints: Record<string, string>): string {
  const entries = Object.entries(constraints);
  const typeProblem = entries.find(([name]) => !RANGE_CONSTRAINTS.has(name));
  return (typeProblem ?? entries[0])[1];
}

/** The variable a problem is about (problems start with its name), or undefined. */
export function problemVariable(problem: string): string | undefined {
  const name = /^[A-Z][A-Z0-9_]*/.exec(problem)?.[0];
  return name && knownVariables().includes(name) ? name : undefined;
}

/**
 * How to fix one problem: set the variable right, or leave it out for its default. Only settings
 * with a default show it, and none of those is a secret.
 */
export function configProblemFix(problem: string): string {
  const name = problemVariable(problem);
  if (!name) return 'correct the settings named (see README.md, Configuration).';
  const fallback = (new EnvironmentVariables() as unknown as Record<string, unknown>)[name];
  const unset =
    typeof fallback === 'string' || typeof fallback === 'number' || typeof fallback === 'boolean'
      ? fallback === ''
        ? ''
        : `, or unset it to use the default (${fallback})`
      : '';
  return `set ${name} (in the environment or .env) as README.md, Configuration, describes${unset}.`;
}

/** What a process prints when it cannot start: every bad variable, each with its fix; no stack. */
export function configErrorReport(e: ConfigValidationError): string {
  const n = e.problems.length;
  return (
    `${n} setting${n === 1 ? ' is' : 's are'} wrong, so the Insight Bank cannot run:\n` +
    e.problems.map((p) => `  ✗ ${p}\n    Fix: ${configProblemFix(p)}\n`).join('') +
    '`npx insight-bank doctor` checks the settings and the services.\n'
  );
}

/**
 * Validates raw environment values and returns the typed configuration. Collects every problem
 * so an operator fixes them all at once, and names each variable without echoing secret values.
 */
export function validateEnvironment(raw: Record<string, unknown>): AppConfig {
  const known = new Set(knownVariables());
  const picked: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (known.has(k) && v !== undefined) picked[k] = v;
  const config = plainToInstance(EnvironmentVariables, picked, { exposeDefaultValues: true });
  const errors = validateSync(config, {
    skipMissingProperties: false,
    forbidUnknownValues: false,
  });
  const problems = errors.map((e) => {
    const m = firstProblem(e.constraints ?? {});
    return m.startsWith(e.property) ? m : `${e.property}: ${m}`;
  });
  if (config.MEILI_URL && !config.MEILI_MASTER_KEY) {
    problems.push('MEILI_MASTER_KEY must be set when MEILI_URL is set (the key of that server)');
  }
  if (config.NODE_ENV === 'production' && !config.REFERENCE_HASH_SECRET) {
    problems.push(
      'REFERENCE_HASH_SECRET must be set in production (32+ characters, the same on every process)',
    );
  }
  problems.push(...oidcProblems(config));
  if (problems.length) throw new ConfigValidationError(problems);
  return Object.freeze(config);
}
