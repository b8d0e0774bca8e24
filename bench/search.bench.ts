/**
 * Search latency at scale: the HTTP API, Meilisearch called directly with the same request bodies
 * (the raw floor), and a PostgreSQL full-text baseline, over the same insights in the same run.
 *
 *   npm run bench:search -- --rows 1000000 [--seed 1] [--queries 200] [--pg-budget 600] [--keep]
 *                           [--api-process] [--roles analyst,commissioner]
 *
 * Loads seeded synthetic insights (texts drawn from the published phase-1 comments when the shared
 * data folder sits beside the repository) straight into PostgreSQL and a fresh Meilisearch index,
 * then runs a fixed query mix of four classes three ways. Uses the database named by
 * BENCH_SEARCH_DATABASE_URL (default insight_bank_bench_search, created if missing and emptied
 * first; kept afterwards). It is not the ingestion bench's database: that bench empties its tables
 * on start, and the full-text column and indexes built here would slow its inserts.
 *
 * The API measured is the loading app, in this process (it shares its event loop with the
 * benchmark client); `--api-process` starts the api in its own process instead
 * (`insight-bank start --role api`), as production runs it.
 *
 * `--roles` runs the query mix once per role over the same data (PostgreSQL only for the first).
 * A role without row-level demographic access gets its demographic facets through the cell key
 * method (keyed facets) and may not filter by a demographic, so its mix has no demographic class.
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Pool } from 'undici';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const ROWS = Number(arg('rows', '1000000'));
const SEED = Number(arg('seed', '1'));
const PER_CLASS = Number(arg('queries', '200'));
const WARMUP = Number(arg('warmup', '50'));
/** Seconds the PostgreSQL baseline may take in all; it stops early (and says so) past this. */
const PG_BUDGET_S = Number(arg('pg-budget', '600'));
const KEEP = process.argv.includes('--keep');
const API_IN_PROCESS = !process.argv.includes('--api-process');
const CHUNK = 50_000;
const ROLES = arg('roles', 'analyst')
  .split(',')
  .map((r) => r.trim())
  .filter(Boolean) as Array<'analyst' | 'commissioner' | 'partner' | 'admin' | 'moderator'>;
type BenchRole = (typeof ROLES)[number];
/** The API key's organisation: not one of ORGANISATIONS, so it owns none of the data searched. */
const READER_ORGANISATION = 'bench-reader';

const DB =
  process.env.BENCH_SEARCH_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/insight_bank_bench_search';
process.env.DATABASE_URL = DB;
process.env.QUEUE_PREFIX = `bench-search-${Date.now().toString(36)}`;
process.env.MEILI_INDEX_PREFIX = `bench_search_${Date.now().toString(36)}_`;
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';
// The query mix runs thousands of requests a minute with one key.
process.env.RATE_LIMIT_PER_MINUTE = process.env.RATE_LIMIT_PER_MINUTE ?? '1000000';

const TEXT_FILE = path.resolve(
  __dirname,
  '..',
  '..',
  'shared',
  'data',
  'patient-feedback-phase1',
  'text_data.csv',
);

type Params = Record<string, string>;
type QueryClass = 'text' | 'text + 3 filters' | '6 facets' | 'demographic';
const CLASSES: readonly QueryClass[] = ['text', 'text + 3 filters', '6 facets', 'demographic'];
/** Roles without row-level demographic access may not filter by a demographic. */
function classesFor(role: BenchRole): readonly QueryClass[] {
  return role === 'analyst' || role === 'admin' || role === 'moderator'
    ? CLASSES
    : CLASSES.filter((c) => c !== 'demographic');
}

interface BenchQuery {
  cls: QueryClass;
  params: Params;
  /** JSON body of POST /indexes/{uid}/search, exactly as the API builds it. */
  meiliBody: string;
  /** Statements that answer the same question from PostgreSQL, run one after the other. */
  sql: Array<{ text: string; values: unknown[] }>;
}

interface Timed {
  ms: number;
  total: number | null;
}

// Words and phrases people search feedback for; the mix repeats them as real search logs do.
const SEARCH_TERMS = [
  'waiting times',
  'GP appointment',
  'A&E',
  'rude receptionist',
  'parking',
  'mental health',
  'discharge',
  'prescription',
  'staff were kind',
  'communication',
  'telephone',
  'dentist',
  'nurse',
  'waiting list',
  'pharmacy',
  'cancelled operation',
  'food',
  'clean',
  'listened',
  'ambulance',
  'physio',
  'letter',
  'car park',
  'children',
  'doctor',
  'test results',
  'long wait',
  'caring',
  'online booking',
  'translator',
  'visiting',
  'pain',
  'appointment',
  'staff',
  'care',
  'hospital',
];
const BROAD_TERMS = ['care', 'staff', 'appointment', 'service'];
const FACETS = ['theme', 'hcpArea', 'sourceType', 'sentiment', 'ageBand', 'sex'];

const SOURCE_WEIGHTS: Array<[string, number]> = [
  ['survey', 30],
  ['fft', 20],
  ['healthwatch_report', 12],
  ['care_opinion', 10],
  ['pals_complaint', 8],
  ['roadshow', 6],
  ['focus_group', 4],
  ['citizens_panel', 3],
  ['health_network', 3],
  ['ideas_board', 2],
  ['other', 2],
];
const SHARING_WEIGHTS: Array<[string, number]> = [
  ['public', 30],
  ['system', 30],
  ['icb', 30],
  ['restricted', 10],
];
const ORGANISATIONS: Array<{ code: string; name: string; kind: string; weight: number }> = [
  { code: 'bench-icb', name: 'Benchmark ICB engagement team', kind: 'icb', weight: 35 },
  { code: 'bench-hw', name: 'Benchmark Healthwatch', kind: 'healthwatch', weight: 30 },
  { code: 'bench-trust', name: 'Benchmark hospital trust', kind: 'trust', weight: 25 },
  { code: 'bench-vcse', name: 'Benchmark community group', kind: 'vcse', weight: 10 },
];

/** Columns loaded by the bench, in the order of the unnest arrays. */
const COLUMNS: Array<[string, string]> = [
  ['id', 'uuid'],
  ['batch_id', 'uuid'],
  ['organisation_id', 'uuid'],
  ['row_number', 'int'],
  ['external_ref', 'text'],
  ['content_hash', 'text'],
  ['dedup_key', 'text'],
  ['text', 'text'],
  ['question', 'text'],
  ['comment_date', 'date'],
  ['source_type', 'text'],
  ['sharing_level', 'text'],
  ['postcode_district', 'text'],
  ['lad_code', 'text'],
  ['hcp_area', 'text'],
  ['service', 'text'],
  ['place_resolved_by', 'text'],
  ['age_band', 'text'],
  ['sex', 'text'],
  ['gender_identity', 'text'],
  ['ethnicity_group', 'text'],
  ['ethnicity_detail', 'text'],
  ['disability', 'text'],
  ['carer', 'text'],
  ['sexual_orientation', 'text'],
  ['religion', 'text'],
  ['themes', 'text'],
  ['theme_codes', 'text'],
  ['sentiment', 'text'],
  ['sentiment_score', 'real'],
  ['language', 'text'],
  ['moderation_status', 'text'],
  ['record_key', 'smallint'],
];

/** Indexes and the column of the PostgreSQL baseline; dropped before each load, kept after. */
const PG_BASELINE_DDL = [
  `ALTER TABLE insight ADD COLUMN bench_fts tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(text, '') || ' ' || coalesce(question, ''))) STORED`,
  `CREATE INDEX bench_search_fts_idx ON insight USING gin (bench_fts)`,
  `CREATE INDEX bench_search_themes_idx ON insight USING gin (theme_codes)`,
  `CREATE INDEX bench_search_hcp_idx ON insight (hcp_area)`,
  `CREATE INDEX bench_search_source_idx ON insight (source_type)`,
  `CREATE INDEX bench_search_sentiment_idx ON insight (sentiment)`,
  `CREATE INDEX bench_search_age_sex_idx ON insight (age_band, sex)`,
  `CREATE INDEX bench_search_sex_idx ON insight (sex)`,
  `CREATE INDEX bench_search_date_idx ON insight (comment_date)`,
  `ANALYZE insight`,
];
const PG_BASELINE_DROP = [
  `ALTER TABLE insight DROP COLUMN IF EXISTS bench_fts`,
  ...['themes', 'hcp', 'source', 'sentiment', 'age_sex', 'sex', 'date'].map(
    (n) => `DROP INDEX IF EXISTS bench_search_${n}_idx`,
  ),
];

const sec = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const now = (): number => Number(process.hrtime.bigint()) / 1e6;

async function main(): Promise<void> {
  const { ensureDatabase } = await import('../src/database/database-bootstrap');
  const { NestFactory } = await import('@nestjs/core');
  const { Logger } = await import('nestjs-pino');
  const { logTarget } = await import('../src/common/logger');
  const { ApiModule } = await import('../src/api.module');
  const { configureHttpApp } = await import('../src/bootstrap');
  const { DataSource } = await import('typeorm');
  const { MeiliService } = await import('../src/search/meili/meili.service');
  const { SearchIndexService } = await import('../src/search/indexing/search-index.service');

  await ensureDatabase(DB);
  logTarget.stream = process.stderr;
  logTarget.level = 'warn';
  const app = await NestFactory.create(ApiModule, { bufferLogs: true });
  configureHttpApp(app);
  app.useLogger(app.get(Logger));
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as import('node:http').Server;
  const port = (server.address() as AddressInfo).port;
  const meili = app.get(MeiliService);
  const indexService = app.get(SearchIndexService);
  const uid = indexService.uid;
  const ds = app.get(DataSource);
  const pg = new Client({ connectionString: DB });
  await pg.connect();
  let apiProcess: ChildProcess | undefined;
  let apiPool: Pool | undefined;
  const meiliPool = new Pool(meili.connection.url, { connections: 4, pipelining: 1 });

  try {
    console.log(
      `Machine: ${os.cpus()[0]?.model ?? 'unknown cpu'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    );
    const version = await meili.request<{ pkgVersion: string }>('GET', '/version');
    const pgVersion = await pg.query<{ v: string }>(
      `SELECT current_setting('server_version') AS v`,
    );
    console.log(`Meilisearch ${version.pkgVersion}, PostgreSQL ${pgVersion.rows[0].v}`);

    const load = await loadData(app, ds, meili, indexService, uid);
    const pgBuildMs = await buildPgBaseline(pg);
    console.log(`PostgreSQL baseline (tsvector column, GIN and btree indexes): ${sec(pgBuildMs)}`);

    if (API_IN_PROCESS) {
      apiPool = new Pool(`http://127.0.0.1:${port}`, { connections: 4, pipelining: 1 });
      console.log('API: the loading app, in this process');
    } else {
      const api = await startApiProcess(meili.connection);
      apiProcess = api.child;
      apiPool = new Pool(api.url, { connections: 4, pipelining: 1 });
      console.log(`API: its own process (pid ${api.child.pid}), as in production`);
    }
    for (const [i, role] of ROLES.entries()) {
      const reader = await benchApiKey(app, role);
      const queries = await buildQueries(reader.organisationId, role);
      const results = await runAll(
        reader.key,
        queries,
        apiPool,
        meiliPool,
        pg,
        meili.connection.masterKey,
        uid,
        role,
        i === 0,
      );
      report(results, load.rows, role);
    }
  } finally {
    await apiPool?.close();
    if (apiProcess && apiProcess.exitCode === null) {
      const exited = new Promise((resolve) => apiProcess!.once('exit', resolve));
      apiProcess.kill('SIGTERM');
      await exited;
    }
    await meiliPool.close();
    await pg.end();
    if (!KEEP) {
      await meili
        .request('DELETE', `/indexes/${encodeURIComponent(uid)}`)
        .catch(() => console.error(`Could not delete index ${uid}; delete it by hand`));
      console.log(`Index ${uid} deleted (run with --keep to keep it)`);
    } else {
      console.log(`Index ${uid} kept`);
    }
    await app.close();
  }
}

interface LoadResult {
  rows: number;
  organisationIds: string[];
}

async function loadData(
  app: import('@nestjs/common').INestApplication,
  ds: import('typeorm').DataSource,
  meili: import('../src/search/meili/meili.service').MeiliService,
  indexService: import('../src/search/indexing/search-index.service').SearchIndexService,
  uid: string,
): Promise<LoadResult> {
  const { generateFeedback } = await import('../src/demo/feedback.generator');
  const { SeededRandom, WeightedChoice } = await import('../src/demo/seeded-random');
  const { RuleTagger } = await import('../src/enrichment/tagging/rules/rule-tagger');
  const { scoreSentiment } = await import('../src/enrichment/tagging/sentiment/sentiment-scorer');
  const { normaliseDemographics } = await import('../src/enrichment/demographics/demographics');
  const { loadPlaceHierarchy } = await import('../src/enrichment/places/place-hierarchy');
  const { PlaceResolver } = await import('../src/enrichment/places/place-resolver');
  const { ReferenceDataService } = await import('../src/reference/reference-data.service');
  const { toSearchDocument } = await import('../src/search/query/search-document');
  const { RECORD_KEY_RANGE } = await import('../src/search/query/disclosure');
  const { isNotFound } = await import('../src/search/meili/meili-tasks');
  const { waitForTask } = await import('../src/search/index-gateway');
  type InsightLike = import('../src/insights/insight-fields').InsightLike;

  for (const sql of PG_BASELINE_DROP) await ds.query(sql);
  await ds.query(
    `TRUNCATE index_outbox, rejected_row, insight, batch_chunk, batch, organisation CASCADE`,
  );
  const organisationIds: string[] = [];
  const batchIds: string[] = [];
  for (const o of ORGANISATIONS) {
    const [org] = await ds.query<Array<{ id: string }>>(
      `INSERT INTO organisation (code, name, kind) VALUES ($1, $2, $3) RETURNING id`,
      [o.code, o.name, o.kind],
    );
    const [batch] = await ds.query<Array<{ id: string }>>(
      `INSERT INTO batch (organisation_id, source_type, title, sharing_level, file_name, file_sha256, file_size, status)
       VALUES ($1, 'survey', 'Search benchmark', 'icb', 'bench.csv', $2, 0, 'complete') RETURNING id`,
      [org.id, createHash('sha256').update(o.code).digest('hex')],
    );
    organisationIds.push(org.id);
    batchIds.push(batch.id);
  }

  const exists = await meili.request('GET', `/indexes/${encodeURIComponent(uid)}`).then(
    () => true,
    (e: unknown) => {
      if (isNotFound(e)) return false;
      throw e;
    },
  );
  if (exists) {
    await waitForTask(
      meili,
      await meili.request<{ taskUid: number }>('DELETE', `/indexes/${encodeURIComponent(uid)}`),
    );
  }
  let t = now();
  await indexService.apply(uid);
  console.log(`Index ${uid} created with the product settings in ${sec(now() - t)}`);

  let textSource: string[] | undefined;
  if (fs.existsSync(TEXT_FILE)) {
    const { parse } = await import('csv-parse/sync');
    const records = parse<Record<string, string | undefined>>(fs.readFileSync(TEXT_FILE), {
      columns: true,
      skip_empty_lines: true,
      relax_column_count: true,
    });
    textSource = records.map((r) => (r.feedback ?? '').trim()).filter((s) => s !== '');
    console.log(`Texts: ${textSource.length} published phase-1 comments, drawn repeatedly`);
  } else {
    console.log(`Texts: synthetic (the phase-1 comments were not found beside the repository)`);
  }

  const reference = app.get(ReferenceDataService);
  const taxonomy = reference.taxonomy;
  const lookups = {
    themeName: (code: string) => taxonomy.byCode(code)?.name,
    themeParent: (code: string) => taxonomy.byCode(code)?.parentCode ?? undefined,
    ladName: (code: string) => reference.ladName(code),
    themeKind: (code: string) => taxonomy.byCode(code)?.kind,
  };
  const tagger = new RuleTagger(taxonomy);
  const resolver = new PlaceResolver(loadPlaceHierarchy());
  const random = new SeededRandom(SEED * 7919 + 17);
  const sourceChoice = new WeightedChoice(SOURCE_WEIGHTS);
  const sharingChoice = new WeightedChoice(SHARING_WEIGHTS);
  const orgChoice = new WeightedChoice(ORGANISATIONS.map((o, i) => [i, o.weight] as const));

  const rows = generateFeedback({ seed: SEED, count: ROWS, textSource })[Symbol.iterator]();
  let prepareMs = 0;
  let insertMs = 0;
  let indexTaskMs = 0;
  let waitMs = 0;
  let pending: { taskUid: number } | undefined;
  const awaitPending = async (): Promise<void> => {
    if (!pending) return;
    const w = now();
    const task = (await waitForTask(meili, pending, 30 * 60_000)) as { duration?: string };
    waitMs += now() - w;
    indexTaskMs += isoDurationMs(task.duration);
    pending = undefined;
  };
  const loadStarted = now();
  let n = 0;
  while (n < ROWS) {
    t = now();
    const chunk: InsightLike[] = [];
    const extra: Array<{
      rowNumber: number;
      ref: string;
      hash: string;
      service: string | null;
      placeBy: string;
      ethnicityDetail: string;
      themes: string;
    }> = [];
    for (let i = 0; i < CHUNK && n < ROWS; i++, n++) {
      const next = rows.next();
      if (next.done) break;
      const row = next.value;
      const text = row.comment;
      const question = row.question === '' ? null : row.question;
      const place = resolver.resolve({
        postcode: row.postcode,
        service: row.service,
        location: row.location,
        practiceCode: row['gp practice code'],
      });
      const demo = normaliseDemographics({
        age: row['age band'],
        sex: row.sex,
        gender: row.gender,
        ethnicity: row.ethnicity,
        disability: row.disability,
        carer: row.carer,
        sexuality: row['sexual orientation'],
        religion: row.religion,
        referenceYear: 2025,
      });
      const themes = tagger.tag(text, question ?? undefined);
      const sentiment = scoreSentiment(text, question ?? undefined);
      const org = orgChoice.draw(random);
      chunk.push({
        id: randomUUID(),
        batchId: batchIds[org],
        organisationId: organisationIds[org],
        text,
        question,
        commentDate: isoDate(row.date),
        sourceType: sourceChoice.draw(random),
        sharingLevel: sharingChoice.draw(random),
        postcodeDistrict: place.postcodeDistrict ?? null,
        ladCode: place.ladCode ?? null,
        hcpArea: place.hcpArea ?? null,
        // Every stored population group, whichever the catalogue reads for the index.
        ...demo,
        themeCodes: themes.map((th) => th.code),
        sentiment: sentiment.label,
        sentimentScore: sentiment.score,
        language: 'en',
        needsReview: false,
        safeguarding: false,
        moderationStatus: 'approved',
        recordKey: random.below(RECORD_KEY_RANGE),
      });
      extra.push({
        rowNumber: n + 1,
        ref: row.reference,
        hash: createHash('sha256').update(text).digest('hex'),
        service: row.service === '' ? null : row.service,
        placeBy: place.resolvedBy,
        ethnicityDetail: demo.ethnicityDetail,
        themes: JSON.stringify(themes),
      });
    }
    if (chunk.length === 0) break;
    const docs = chunk.map((c) => toSearchDocument(c, lookups));
    prepareMs += now() - t;

    t = now();
    await insertChunk(ds, chunk, extra);
    insertMs += now() - t;

    // One task in flight: the next chunk is prepared and stored while this one is indexed.
    await awaitPending();
    pending = await meili.request<{ taskUid: number }>(
      'POST',
      `/indexes/${encodeURIComponent(uid)}/documents`,
      docs,
      300_000,
    );
    if (n % 200_000 === 0 || n === ROWS) {
      console.log(`  ${n} rows prepared, stored and sent (${sec(now() - loadStarted)})`);
    }
  }
  await awaitPending();
  const loadMs = now() - loadStarted;
  const stats = await meili.request<{ numberOfDocuments: number }>(
    'GET',
    `/indexes/${encodeURIComponent(uid)}/stats`,
  );
  const [{ count }] = await ds.query<Array<{ count: string }>>(
    `SELECT count(*)::text AS count FROM insight`,
  );
  console.log(
    `Loaded ${count} insights into PostgreSQL and ${stats.numberOfDocuments} documents into ${uid} in ${sec(loadMs)} wall time`,
  );
  console.log(
    `  generate + place + demographics + tag + build documents: ${sec(prepareMs)}; PostgreSQL insert (unnest, ${CHUNK}-row statements): ${sec(insertMs)} (${Math.round(ROWS / (insertMs / 1000))} rows/s)`,
  );
  console.log(
    `  Meilisearch indexing (sum of task durations, ${CHUNK}-document tasks): ${sec(indexTaskMs)} (${Math.round(ROWS / (indexTaskMs / 1000))} docs/s); time spent waiting on it: ${sec(waitMs)}`,
  );
  if (Number(count) !== ROWS || stats.numberOfDocuments !== ROWS) {
    throw new Error(`Expected ${ROWS} rows in both stores`);
  }
  return { rows: ROWS, organisationIds };
}

async function insertChunk(
  ds: import('typeorm').DataSource,
  chunk: import('../src/insights/insight-fields').InsightLike[],
  extra: Array<{
    rowNumber: number;
    ref: string;
    hash: string;
    service: string | null;
    placeBy: string;
    ethnicityDetail: string;
    themes: string;
  }>,
): Promise<void> {
  const values: Record<string, unknown[]> = {
    id: chunk.map((c) => c.id),
    batch_id: chunk.map((c) => c.batchId),
    organisation_id: chunk.map((c) => c.organisationId),
    row_number: extra.map((e) => e.rowNumber),
    external_ref: extra.map((e) => e.ref),
    content_hash: extra.map((e) => e.hash),
    dedup_key: extra.map((e) => e.ref),
    text: chunk.map((c) => c.text),
    question: chunk.map((c) => c.question),
    comment_date: chunk.map((c) => c.commentDate),
    source_type: chunk.map((c) => c.sourceType),
    sharing_level: chunk.map((c) => c.sharingLevel),
    postcode_district: chunk.map((c) => c.postcodeDistrict),
    lad_code: chunk.map((c) => c.ladCode),
    hcp_area: chunk.map((c) => c.hcpArea),
    service: extra.map((e) => e.service),
    place_resolved_by: extra.map((e) => e.placeBy),
    age_band: chunk.map((c) => c.ageBand),
    sex: chunk.map((c) => c.sex),
    gender_identity: chunk.map((c) => c.genderIdentity),
    ethnicity_group: chunk.map((c) => c.ethnicityGroup),
    ethnicity_detail: extra.map((e) => e.ethnicityDetail),
    disability: chunk.map((c) => c.disability),
    carer: chunk.map((c) => c.carer),
    sexual_orientation: chunk.map((c) => c.sexualOrientation),
    religion: chunk.map((c) => c.religion),
    themes: extra.map((e) => e.themes),
    theme_codes: chunk.map((c) => `{${c.themeCodes.map((code) => `"${code}"`).join(',')}}`),
    sentiment: chunk.map((c) => c.sentiment),
    sentiment_score: chunk.map((c) => c.sentimentScore),
    language: chunk.map((c) => c.language),
    moderation_status: chunk.map((c) => c.moderationStatus),
    record_key: chunk.map((c) => c.recordKey),
  };
  const names = COLUMNS.map(([c]) => `"${c}"`).join(', ');
  const select = COLUMNS.map(([c]) =>
    c === 'themes' ? `u.themes::jsonb` : c === 'theme_codes' ? `u.theme_codes::text[]` : `u."${c}"`,
  ).join(', ');
  await ds.query(
    `INSERT INTO insight (${names})
     SELECT ${select} FROM unnest(${COLUMNS.map(([, t], i) => `$${i + 1}::${t}[]`).join(', ')}) AS u(${names})`,
    COLUMNS.map(([c]) => values[c]),
  );
}

async function buildPgBaseline(pg: Client): Promise<number> {
  const t = now();
  await pg.query(`SET maintenance_work_mem = '1GB'`);
  for (const sql of PG_BASELINE_DDL) await pg.query(sql);
  return now() - t;
}

/** A seeded, fixed mix: the same queries in the same order on every path and every run. */
async function buildQueries(readerOrganisationId: string, role: BenchRole): Promise<BenchQuery[]> {
  const { SeededRandom } = await import('../src/demo/seeded-random');
  const { parseSearchParams, FACET_NAMES } = await import('../src/search/query/search-params');
  const { buildMeiliSearchRequest } = await import('../src/search/query/search-document');
  const { FILTER_FIELDS, SOURCE_TYPES } = await import('../src/search/query/filter-builder');
  const { protectCodes } = await import('../src/search/query-codes');
  const { actorFor } = await import('../src/access/actor');
  const { buildSqlWhere } = await import('../src/search/sql-where');
  const { loadPlaceHierarchy } = await import('../src/enrichment/places/place-hierarchy');
  const { loadDefaultTaxonomy } = await import('../src/enrichment/tagging/taxonomy');

  const hcpAreas = [...new Set([...loadPlaceHierarchy().districts.values()].map((d) => d.hcpArea))]
    .filter((a): a is string => typeof a === 'string')
    .sort();
  const taxonomy = loadDefaultTaxonomy();
  // The same caller as the API key the API path uses, so all three paths apply the same scope.
  const caller = actorFor({
    kind: 'api_key',
    id: null,
    role,
    organisationId: readerOrganisationId,
    organisationCode: READER_ORGANISATION,
    label: 'bench',
  });
  const r = new SeededRandom(SEED * 104729 + 3);
  const ageBands = ['18-24', '25-34', '35-44', '45-54', '55-64', '65-74', '75-84', '85+'];
  const sexes = ['female', 'male'];
  const dateRange = (): { dateFrom: string; dateTo: string } => {
    const startDay = Date.UTC(2023, 0, 1) / 86_400_000 + r.below(900);
    const from = new Date(startDay * 86_400_000);
    const to = new Date((startDay + 30 + r.below(300)) * 86_400_000);
    return { dateFrom: from.toISOString().slice(0, 10), dateTo: to.toISOString().slice(0, 10) };
  };

  const paramsFor = (cls: QueryClass): Params => {
    switch (cls) {
      case 'text':
        return { q: r.pick(SEARCH_TERMS) };
      case 'text + 3 filters': {
        const sources = [r.pick(SOURCE_TYPES)];
        if (r.chance(0.5)) sources.push(r.pick(SOURCE_TYPES));
        return {
          q: r.pick(SEARCH_TERMS),
          hcpArea: r.pick(hcpAreas),
          sourceType: [...new Set(sources)].join(','),
          ...dateRange(),
        };
      }
      case '6 facets':
        return { q: r.chance(0.5) ? '' : r.pick(BROAD_TERMS), facets: FACETS.join(',') };
      case 'demographic': {
        const i = r.below(ageBands.length - 1);
        return {
          q: r.chance(0.34) ? '' : r.pick(SEARCH_TERMS),
          ageBand: r.chance(0.5) ? ageBands[i] : `${ageBands[i]},${ageBands[i + 1]}`,
          sex: r.pick(sexes),
        };
      }
    }
  };

  const expandTheme = (code: string): string[] => {
    const out = [code];
    for (let i = 0; i < out.length; i++) {
      for (const child of taxonomy.children(out[i]))
        if (!out.includes(child.code)) out.push(child.code);
    }
    return out;
  };

  const build = (cls: QueryClass): BenchQuery => {
    const params = paramsFor(cls);
    const req = parseSearchParams(params);
    const body = buildMeiliSearchRequest(req, caller.scope, {
      facetsAllowed: FACET_NAMES,
      rowLevelDemographics: caller.rowLevelDemographics,
      keyedDemographicFacets: !caller.rowLevelDemographics,
    });
    body.q = protectCodes(req.q);
    const facetAttributes = (body.facets as string[] | undefined) ?? [];
    const total = FILTER_FIELDS.sourceType.attribute;
    body.facets = facetAttributes.includes(total) ? facetAttributes : [...facetAttributes, total];

    const hasText = req.q !== '';
    const where = buildSqlWhere(req.filters, caller.scope, {
      alias: 'i',
      expandTheme,
      firstParam: hasText ? 2 : 1,
    });
    const textParams = hasText ? [req.q] : [];
    const match = hasText ? `i.bench_fts @@ websearch_to_tsquery('english', $1) AND ` : '';
    const values = [...textParams, ...where.params];
    const hits = hasText
      ? `SELECT i.id, i.text, i.question, i.comment_date, i.theme_codes, i.sentiment, i.source_type, i.hcp_area, i.lad_code, i.postcode_district, i.age_band, i.sex
         FROM insight i WHERE ${match}${where.sql}
         ORDER BY ts_rank(i.bench_fts, websearch_to_tsquery('english', $1)) DESC LIMIT ${req.pageSize}`
      : `SELECT i.id, i.text, i.question, i.comment_date, i.theme_codes, i.sentiment, i.source_type, i.hcp_area, i.lad_code, i.postcode_district, i.age_band, i.sex
         FROM insight i WHERE ${where.sql} LIMIT ${req.pageSize}`;
    const scalarFacets = req.facets
      .filter((f) => f !== 'theme')
      .map((f) => columnOf(f))
      .filter((c) => c !== 'source_type');
    const sets = ['(i.source_type)', ...scalarFacets.map((c) => `(i.${c})`)].join(', ');
    const counts = `SELECT ${['source_type', ...scalarFacets].map((c) => `i.${c}`).join(', ')}, count(*)
       FROM insight i WHERE ${match}${where.sql} GROUP BY GROUPING SETS (${sets})`;
    const sql = [
      { text: hits, values },
      { text: counts, values },
    ];
    if (req.facets.includes('theme')) {
      sql.push({
        text: `SELECT t.code, count(*) FROM insight i CROSS JOIN LATERAL unnest(i.theme_codes) AS t(code)
               WHERE ${match}${where.sql} GROUP BY t.code ORDER BY count(*) DESC LIMIT 200`,
        values,
      });
    }
    return { cls, params, meiliBody: JSON.stringify(body), sql };
  };

  const out: BenchQuery[] = [];
  for (const cls of classesFor(role)) for (let i = 0; i < PER_CLASS; i++) out.push(build(cls));
  return out;
}

function columnOf(facet: string): string {
  switch (facet) {
    case 'hcpArea':
      return 'hcp_area';
    case 'sourceType':
      return 'source_type';
    case 'sentiment':
      return 'sentiment';
    case 'ageBand':
      return 'age_band';
    case 'sex':
      return 'sex';
    default:
      throw new Error(`No baseline column for facet ${facet}`);
  }
}

type PathName = 'api' | 'meili' | 'pg';
type Results = Record<PathName, Map<QueryClass, Timed[]>>;

async function runAll(
  apiKey: string,
  queries: BenchQuery[],
  apiPool: Pool,
  meiliPool: Pool,
  pg: Client,
  masterKey: string,
  uid: string,
  role: BenchRole,
  withPostgres: boolean,
): Promise<Results> {
  const classes = classesFor(role);
  const api = async (q: BenchQuery): Promise<Timed> => {
    const search = new URLSearchParams(q.params).toString();
    const t = now();
    const res = await apiPool.request({
      method: 'GET',
      path: `/api/v1/insights/search?${search}`,
      headers: { authorization: `Bearer ${apiKey}` },
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    const text = await res.body.text();
    const ms = now() - t;
    if (res.statusCode !== 200)
      throw new Error(`API answered ${res.statusCode} for a ${q.cls} query`);
    return { ms, total: (JSON.parse(text) as { total: number | null }).total };
  };
  const meili = async (q: BenchQuery): Promise<Timed> => {
    const t = now();
    const res = await meiliPool.request({
      method: 'POST',
      path: `/indexes/${encodeURIComponent(uid)}/search`,
      headers: { authorization: `Bearer ${masterKey}`, 'content-type': 'application/json' },
      body: q.meiliBody,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    const text = await res.body.text();
    const ms = now() - t;
    if (res.statusCode !== 200) {
      throw new Error(`Meilisearch answered ${res.statusCode} for a ${q.cls} query`);
    }
    const body = JSON.parse(text) as {
      totalHits?: number;
      facetDistribution?: Record<string, Record<string, number>>;
    };
    const bySource = Object.values(body.facetDistribution?.sourceType ?? {}).reduce(
      (a, b) => a + b,
      0,
    );
    return { ms, total: Math.max(body.totalHits ?? 0, bySource) };
  };
  await pg.query(`SET statement_timeout = '60s'`);
  const postgres = async (q: BenchQuery): Promise<Timed> => {
    const t = now();
    let total = 0;
    for (const [i, s] of q.sql.entries()) {
      const res = await pg.query<{ source_type: string | null; count: string }>(s.text, s.values);
      // The grouping set on source type alone carries the exact count, as in the index.
      if (i === 1) {
        total = res.rows
          .filter((row) => Object.keys(row).length > 0 && row.source_type !== null)
          .reduce((a, row) => a + Number(row.count), 0);
      }
    }
    return { ms: now() - t, total };
  };

  const results: Results = { api: new Map(), meili: new Map(), pg: new Map() };
  const runners: Array<[PathName, (q: BenchQuery) => Promise<Timed>, number]> = [
    ['meili', meili, Number.POSITIVE_INFINITY],
    ['api', api, Number.POSITIVE_INFINITY],
    ['pg', postgres, PG_BUDGET_S * 1000],
  ];
  if (!withPostgres) runners.pop();
  for (const [name, run, budgetMs] of runners) {
    // The warm-up takes queries from every class, so each path starts with warm caches.
    const warm = queries.filter(
      (_, i) => i % Math.max(1, Math.floor(queries.length / WARMUP)) === 0,
    );
    for (const q of warm.slice(0, WARMUP)) await run(q);
    const started = now();
    let ran = 0;
    // Round-robin over the classes so a time budget cuts every class equally.
    for (let i = 0; i < PER_CLASS; i++) {
      if (now() - started > budgetMs) break;
      for (const cls of classes) {
        const q = queries[classes.indexOf(cls) * PER_CLASS + i];
        const list = results[name].get(cls) ?? [];
        list.push(await run(q));
        results[name].set(cls, list);
        ran++;
      }
    }
    console.log(
      `${name}: ${ran} queries in ${sec(now() - started)} after ${Math.min(WARMUP, warm.length)} warm-up queries`,
    );
  }
  return results;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function report(results: Results, rows: number, role: BenchRole): void {
  const f = (ms: number): string => (Number.isNaN(ms) ? '—' : ms.toFixed(1));
  console.log(`\nSearch latency at ${rows} insights, ms (sequential requests, role ${role})`);
  console.log(
    '| class | path | n | p50 | p95 | p99 | API p95 − direct p95 | PostgreSQL p95 / API p95 |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const cls of classesFor(role)) {
    const stats = (name: PathName) => {
      const list = results[name].get(cls) ?? [];
      const sorted = list.map((t) => t.ms).sort((a, b) => a - b);
      return {
        n: list.length,
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
      };
    };
    const api = stats('api');
    const direct = stats('meili');
    const pgs = stats('pg');
    const label: Record<PathName, string> = {
      api: 'API',
      meili: 'Meilisearch direct',
      pg: 'PostgreSQL FTS',
    };
    for (const [name, s] of [
      ['api', api],
      ['meili', direct],
      ['pg', pgs],
    ] as const) {
      const extra =
        name === 'api' ? `${f(api.p95 - direct.p95)} | ${(pgs.p95 / api.p95).toFixed(1)}×` : ' | ';
      console.log(
        `| ${cls} | ${label[name]} | ${s.n} | ${f(s.p50)} | ${f(s.p95)} | ${f(s.p99)} | ${extra} |`,
      );
    }
    // The API and the direct call must have done the same search: their totals must agree.
    const apiTotals = results.api.get(cls) ?? [];
    const meiliTotals = results.meili.get(cls) ?? [];
    const pgTotals = results.pg.get(cls) ?? [];
    let same = 0;
    for (let i = 0; i < apiTotals.length; i++)
      if (apiTotals[i].total === meiliTotals[i]?.total) same++;
    const meanOf = (list: Timed[]): number =>
      list.reduce((a, t) => a + (t.total ?? 0), 0) / Math.max(1, list.length);
    console.log(
      `|   | totals: API = direct in ${same}/${apiTotals.length}; mean matches ${Math.round(meanOf(meiliTotals))} (index), ${Math.round(meanOf(pgTotals))} (PostgreSQL, first ${pgTotals.length}) | | | | | | |`,
    );
  }
}

function isoDate(value: string): string | null {
  const uk = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  if (uk) return `${uk[3]}-${uk[2]}-${uk[1]}`;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null;
}

/** Meilisearch reports task durations as ISO 8601, e.g. "PT12.345S" or "PT1M2.5S". */
function isoDurationMs(duration: string | undefined): number {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(duration ?? '');
  if (!m) return 0;
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? `${e.name}: ${e.message}` : 'Benchmark failed');
    process.exit(1);
  },
);

/** An API key with the bench role, for an organisation that owns none of the bench data. */
async function benchApiKey(
  app: import('@nestjs/common').INestApplication,
  role: BenchRole,
): Promise<{ key: string; organisationId: string }> {
  const { OrganisationsService } = await import('../src/organisations/organisations.service');
  const { IdentityService } = await import('../src/access/identity.service');
  const orgs = app.get(OrganisationsService, { strict: false });
  const org = await orgs
    .byCode(READER_ORGANISATION)
    .catch(() => orgs.create({ code: READER_ORGANISATION, name: 'Bench reader', kind: 'icb' }));
  const created = await app
    .get(IdentityService, { strict: false })
    .createKey({ organisation: org.code, role, name: `search benchmark (${role})` });
  return { key: created.key, organisationId: org.id };
}

/** The api as production runs it: its own Node process on a free loopback port, same services. */
async function startApiProcess(meili: {
  url: string;
  masterKey: string;
}): Promise<{ child: ChildProcess; url: string }> {
  const net = await import('node:net');
  const port = await new Promise<number>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const p = (probe.address() as AddressInfo).port;
      probe.close(() => resolve(p));
    });
  });
  const child = spawn(
    process.execPath,
    [path.join(__dirname, '..', 'bin', 'insight-bank.js'), 'start', '--role', 'api'],
    {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        RUN_MIGRATIONS: 'false',
        MEILI_URL: meili.url,
        MEILI_MASTER_KEY: meili.masterKey,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The api process exited with ${child.exitCode}`);
    const up = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { child, url };
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('The api process did not answer /health within 120 s');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
