import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ConfigValidationError,
  configProblemFix,
  knownVariables,
  validateEnvironment,
} from './env.schema';

const root = path.resolve(__dirname, '..', '..');

describe('configuration schema', () => {
  it('gives working defaults for a developer machine', () => {
    const c = validateEnvironment({});
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/insight_bank');
    expect(c.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(c.MEILI_URL).toBeUndefined();
    expect(c.MEILI_DATA_DIR).toBe('.data/meilisearch');
    expect(c.UPLOAD_MAX_BYTES).toBe(200 * 1024 * 1024);
  });

  it('requires the reference hash key in production only, and a long one when set', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow(
      /REFERENCE_HASH_SECRET must be set in production/,
    );
    expect(() => validateEnvironment({ REFERENCE_HASH_SECRET: 'short' })).toThrow(
      /REFERENCE_HASH_SECRET must be at least 32 characters/,
    );
    const key = 'k'.repeat(32);
    expect(
      validateEnvironment({ NODE_ENV: 'production', REFERENCE_HASH_SECRET: key })
        .REFERENCE_HASH_SECRET,
    ).toBe(key);
    expect(validateEnvironment({}).REFERENCE_HASH_SECRET).toBeUndefined();
  });

  it('converts strings from the environment', () => {
    const c = validateEnvironment({
      PORT: '8080',
      RUN_MIGRATIONS: 'false',
      MEILI_URL: '',
      WORKER_CONCURRENCY: '4',
    });
    expect(c.PORT).toBe(8080);
    expect(c.RUN_MIGRATIONS).toBe(false);
    expect(c.MEILI_URL).toBeUndefined();
    expect(c.WORKER_CONCURRENCY).toBe(4);
  });

  it('names every bad variable in one message', () => {
    let error: unknown;
    try {
      validateEnvironment({
        PORT: 'abc',
        REDIS_URL: 'localhost',
        LOG_LEVEL: 'loud',
        RUN_MIGRATIONS: 'perhaps',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const problems = (error as ConfigValidationError).problems.join('\n');
    for (const name of ['PORT', 'REDIS_URL', 'LOG_LEVEL', 'RUN_MIGRATIONS'])
      expect(problems).toContain(name);
    expect((error as Error).message).toContain('4 problems');
  });

  it('says a word is not a number before saying a number is too big', () => {
    const problems = (raw: Record<string, string>): string[] => {
      try {
        validateEnvironment(raw);
        return [];
      } catch (e) {
        return (e as ConfigValidationError).problems;
      }
    };
    expect(problems({ PORT: 'abc' })).toEqual(['PORT must be a whole number between 1 and 65535']);
    expect(problems({ PORT: '70000' })).toEqual(['PORT must not be greater than 65535']);
    expect(configProblemFix('PORT must be a whole number between 1 and 65535')).toContain(
      'unset it to use the default (3000)',
    );
    expect(configProblemFix('MEILI_MASTER_KEY must be at least 16 characters')).not.toContain(
      'default',
    );
  });

  it('has no retrain schedule by default and checks one when given', () => {
    expect(validateEnvironment({})).toMatchObject({
      TAGGER_RETRAIN_MODEL: '',
      TAGGER_RETRAIN_INTERVAL_HOURS: 24,
    });
    expect(
      validateEnvironment({
        TAGGER_RETRAIN_MODEL: ' kent-themes ',
        TAGGER_RETRAIN_INTERVAL_HOURS: '6',
      }),
    ).toMatchObject({ TAGGER_RETRAIN_MODEL: 'kent-themes', TAGGER_RETRAIN_INTERVAL_HOURS: 6 });
    expect(() =>
      validateEnvironment({
        TAGGER_RETRAIN_MODEL: 'kent themes',
        TAGGER_RETRAIN_INTERVAL_HOURS: '0',
      }),
    ).toThrow(
      /TAGGER_RETRAIN_MODEL must be empty or a model name[\s\S]*TAGGER_RETRAIN_INTERVAL_HOURS/,
    );
  });

  it('requires the master key with an external Meilisearch, without echoing secrets', () => {
    expect(() => validateEnvironment({ MEILI_URL: 'http://search:7700' })).toThrow(
      /MEILI_MASTER_KEY must be set/,
    );
    expect(() =>
      validateEnvironment({ MEILI_URL: 'http://search:7700', MEILI_MASTER_KEY: 'short-secret' }),
    ).toThrow(/MEILI_MASTER_KEY must be at least 16/);
    try {
      validateEnvironment({ MEILI_URL: 'http://search:7700', MEILI_MASTER_KEY: 'short-secret' });
    } catch (e) {
      expect((e as Error).message).not.toContain('short-secret');
    }
  });

  it('is documented: every variable is in README.md and .env.example, and nothing else is', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const example = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
    const exampleVars = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]).sort();
    expect(exampleVars).toEqual([...knownVariables()].sort());
    for (const v of knownVariables()) expect(readme).toContain(`\`${v}\``);
  });
});
