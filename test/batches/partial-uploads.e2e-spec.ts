import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { FileStore, STALE_INCOMING_MS } from '../../src/batches/file-store';
import { SweeperService } from '../../src/maintenance/sweeper.service';
import type { App } from 'supertest/types';
import { upload } from '../support/batches';
import { createTestApp } from '../support/test-app';

const uploadDir = path.resolve(process.env.UPLOAD_DIR!);
const incoming = path.join(uploadDir, 'incoming');

/** What an api stopped in the middle of receiving an upload leaves: raw bytes under multer's name. */
function leftover(name: string, ageMs: number): string {
  fs.mkdirSync(incoming, { recursive: true, mode: 0o700 });
  const file = path.join(incoming, name);
  fs.writeFileSync(file, Buffer.alloc(2_700_000, 'Mrs Example of 1 High Street said... '), {
    mode: 0o600,
  });
  const at = new Date(Date.now() - ageMs);
  fs.utimesSync(file, at, at);
  return file;
}

describe('partial uploads left by an interrupted request', () => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('are removed when a process starts; an upload still being written is kept', async () => {
    const stale = leftover('3f1b0c1e-0000-4000-8000-000000000001.upload', 60 * 60_000);
    const live = leftover('3f1b0c1e-0000-4000-8000-000000000002.upload', 1_000);

    app = await createTestApp('api');

    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
    fs.rmSync(live);
  });

  it('are removed by the sweeper once nobody has written to them for the stale age', async () => {
    app = await createTestApp();
    const stale = leftover(
      '3f1b0c1e-0000-4000-8000-000000000003.upload',
      STALE_INCOMING_MS + 1_000,
    );
    const live = leftover(
      '3f1b0c1e-0000-4000-8000-000000000004.upload',
      STALE_INCOMING_MS - 60_000,
    );

    // (The worker's own start-up sweep may get to it first; either way a sweep removes it.)
    await app.get(SweeperService).sweep();

    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
    // FileStore.incomingDir() is the folder multer writes to, so the sweep looked in the right place.
    expect(app.get(FileStore).incomingDir()).toBe(incoming);
    fs.rmSync(live);
  });

  it('an upload refused before the service takes it (a bad field, a NUL) leaves no file behind', async () => {
    app = await createTestApp('api');
    const files = () => (fs.existsSync(incoming) ? fs.readdirSync(incoming) : []);
    const before = files();
    const csv = Buffer.from('comment\nMrs Example of 1 High Street rang 01632 960123\n');
    const refused = [
      await upload(app as INestApplication<App>, csv, 'a.csv', { sourceType: 'carrier_pigeon' }),
      await upload(app as INestApplication<App>, csv, 'b.csv', { title: 'Spring\u0000event' }),
      await upload(app as INestApplication<App>, csv, 'c.csv', { unexpected: 'field' }),
    ];
    for (const res of refused) expect(res.status).toBe(400);
    expect(files()).toEqual(before);
  });
});
