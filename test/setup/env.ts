// Runs in every test file before any module loads: point the bank at per-worker test resources.
const worker = process.env.JEST_WORKER_ID ?? '1';
const run = process.env.TEST_RUN_ID ?? 'local';
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
process.env.DATABASE_URL = process.env.TEST_DATABASE_URL_BASE
  ? `${process.env.TEST_DATABASE_URL_BASE}_${worker}`
  : `postgres://postgres@127.0.0.1:5432/insight_bank_test_${run}_${worker}`;
process.env.REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
process.env.QUEUE_PREFIX = `ibtest-${run}-${worker}`;
process.env.MEILI_INDEX_PREFIX = `${run}_${worker}_`;
process.env.UPLOAD_DIR = `.data/test-uploads/${run}-${worker}`;
// Suites sign in many times from one address; the brute-force test sets its own limit.
process.env.SIGN_IN_ATTEMPTS_PER_15_MINUTES ??= '1000';
process.env.RATE_LIMIT_PER_MINUTE ??= '100000';
