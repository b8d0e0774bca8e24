import { PassThrough } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import Redis from 'ioredis';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { FileStore } from '../../src/batches/file-store';
import { logTarget } from '../../src/common/logger';
import { SearchIndexService } from '../../src/search/indexing/search-index.service';
import { MeiliService } from '../../src/search/meili/meili.service';
import { createTestApp, truncateAll } from '../support/test-app';
import { ensureOrg, upload, waitForBatch } from '../support/batches';

/** Raw identifiers as a partner might send them; none may survive anywhere the bank keeps or says things. */
const IDENTIFIERS = {
  nhsNumber: '943 476 5919',
  nhsNumberDashed: '401-023-2137',
  email: 'jane.doe@example.com',
  mobile: '07700 900123',
  landline: '+44 20 7946 0321',
  niNumber: 'AB 12 34 56 C',
  postcode: 'ME10 4DD',
  dob: '12/03/1956',
  doctor: 'Patel',
  nurse: 'Julie',
  surname: "O'Brien",
  street: '14 Station Road',
  patientName: 'Zebedee Quinlan',
  noteNumber: '07700 900456',
};

const ROWS = [
  ['reference', 'comment', 'postcode', 'notes', 'patient name'],
  [
    'P1',
    `My NHS number is ${IDENTIFIERS.nhsNumber} and the letter never came`,
    IDENTIFIERS.postcode,
    `call me on ${IDENTIFIERS.noteNumber}`,
    IDENTIFIERS.patientName,
  ],
  [
    'P2',
    `Email me at ${IDENTIFIERS.email} or ring ${IDENTIFIERS.mobile} about my appointment`,
    '',
    '',
    '',
  ],
  [
    'P3',
    `Dr ${IDENTIFIERS.doctor} and Nurse ${IDENTIFIERS.nurse} were kind; Mrs ${IDENTIFIERS.surname} on reception was not`,
    '',
    '',
    '',
  ],
  [
    'P4',
    `I live at ${IDENTIFIERS.street}, Sittingbourne ${IDENTIFIERS.postcode}; DOB ${IDENTIFIERS.dob}`,
    '',
    '',
    '',
  ],
  [
    'P5',
    `NI number ${IDENTIFIERS.niNumber}, NHS no. ${IDENTIFIERS.nhsNumberDashed}, phone ${IDENTIFIERS.landline}`,
    '',
    '',
    '',
  ],
];

function csv(rows: string[][]): Buffer {
  return Buffer.from(
    rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n') + '\n',
  );
}

function leaks(haystack: string): string[] {
  const flat = haystack.toLowerCase();
  return Object.entries(IDENTIFIERS)
    .filter(
      ([, v]) =>
        flat.includes(v.toLowerCase()) || flat.includes(v.replace(/[\s-]/g, '').toLowerCase()),
    )
    .map(([k]) => k);
}

describe('no raw identifier leaves the enrich step', () => {
  let app: INestApplication<App>;
  let logs = '';
  const saved = { stream: logTarget.stream, level: logTarget.level };

  beforeAll(async () => {
    const capture = new PassThrough();
    capture.on('data', (d: Buffer) => (logs += d.toString()));
    logTarget.stream = capture;
    logTarget.level = 'debug';
    app = await createTestApp();
    await truncateAll(app);
    await ensureOrg(app);
  });
  afterAll(async () => {
    await app.close();
    logTarget.stream = saved.stream;
    logTarget.level = saved.level;
  });

  it('is in no table, search document, log line, job payload or file once the batch is done', async () => {
    const res = await upload(app, csv(ROWS), 'identifiers.csv');
    expect(res.status).toBe(202);
    const batch = await waitForBatch(app, res.body.id);
    expect(batch.status).toBe('complete');
    expect(batch.counts.accepted).toBe(5);

    // The identifiers were really there to find: the redaction summary counts them.
    expect(batch.errorSummary['redacted:NHS_NUMBER']).toBe(2);
    expect(batch.errorSummary['redacted:PHONE']).toBeGreaterThanOrEqual(2);
    expect(batch.errorSummary['dropped_personal_column']).toBeGreaterThanOrEqual(1);

    const ds = app.get(DataSource);
    const tables = await ds.query<Array<{ tablename: string }>>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`,
    );
    let database = '';
    for (const { tablename } of tables) {
      const rows = await ds.query<Array<{ r: string }>>(
        `SELECT t::text AS r FROM "${tablename}" t`,
      );
      database += rows.map((r) => r.r).join('\n');
    }
    expect(database).toContain('[NHS_NUMBER]'); // the comments are stored, redacted
    expect(leaks(database)).toEqual([]);

    const meili = app.get(MeiliService);
    const docs = await meili.request<{ results: unknown[] }>(
      'POST',
      `/indexes/${app.get(SearchIndexService).uid}/documents/fetch`,
      {
        filter: `batchId = "${batch.id}"`,
        limit: 1000,
      },
    );
    expect(docs.results.length).toBe(5);
    expect(leaks(JSON.stringify(docs))).toEqual([]);

    expect(logs.length).toBeGreaterThan(0);
    expect(leaks(logs)).toEqual([]);

    const redis = new Redis(process.env.REDIS_URL!);
    let payloads = '';
    try {
      const keys = await redis.keys(`${process.env.QUEUE_PREFIX}:*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        if ((await redis.type(key)) === 'hash')
          payloads += JSON.stringify(await redis.hgetall(key));
      }
    } finally {
      redis.disconnect();
    }
    expect(payloads).toContain(batch.id);
    expect(leaks(payloads)).toEqual([]);

    // The upload and its chunks (raw text) are deleted once the batch is complete.
    expect(app.get(FileStore).hasUpload(batch.id)).toBe(false);
  });
});
