import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { INestApplicationContext } from '@nestjs/common';
import type { AppConfig } from '../config/env.schema';
import { BatchesService } from '../batches/batches.service';
import { FileStore } from '../batches/file-store';
import { generateCsv, SYNTHETIC_LABEL } from '../demo/feedback.generator';
import { OrganisationsService } from '../organisations/organisations.service';

export const DEMO_ORG = 'demo-synthetic';

/**
 * Loads a batch made by the seeded generator, so a newcomer can search at once. It is clearly
 * labelled as synthetic (organisation, batch title and every reference), and loading it twice
 * with the same seed is recognised as the same file.
 */
export async function loadDemoBatch(
  app: INestApplicationContext,
  rows: number,
  seed: number,
): Promise<string> {
  const orgs = app.get(OrganisationsService);
  const existing = await orgs.byCode(DEMO_ORG).catch(() => undefined);
  if (!existing)
    await orgs.create({
      code: DEMO_ORG,
      name: 'Synthetic demo data (not real feedback)',
      kind: 'other',
      trusted: true,
    });
  const temp = path.join(app.get(FileStore).incomingDir(), `${randomUUID()}.upload`);
  await pipeline(generateCsv({ seed, count: rows }), fs.createWriteStream(temp, { mode: 0o600 }));
  const { size } = await fs.promises.stat(temp);
  const result = await app.get(BatchesService).create(
    {
      organisation: DEMO_ORG,
      sourceType: 'survey',
      title: `${SYNTHETIC_LABEL} (${rows} rows, seed ${seed})`,
      sharingLevel: 'public',
      sampleDescription: SYNTHETIC_LABEL,
    },
    { path: temp, originalname: `synthetic-feedback-seed${seed}-${rows}.csv`, size },
  );
  return result.id;
}

/** What answers on the bank's port: the bank itself, something else, or nothing. */
export type PortOwner = 'bank' | 'other' | 'free';

/**
 * Asks the configured port who is there. The bank's `/health` names its three services; anything
 * else answering (or answering nonsense) is someone else's server.
 */
export async function portOwner(config: Pick<AppConfig, 'HOST' | 'PORT'>): Promise<PortOwner> {
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  let res: Response;
  try {
    res = await fetch(`http://${host}:${config.PORT}/health`, {
      signal: AbortSignal.timeout(5000),
    });
  } catch (e) {
    const code = (e as { cause?: { code?: string } }).cause?.code;
    return code === 'ECONNREFUSED' ? 'free' : 'other';
  }
  const body = (await res.json().catch(() => undefined)) as
    { details?: Record<string, unknown> } | undefined;
  const details = body?.details ?? {};
  return 'postgres' in details && 'meilisearch' in details ? 'bank' : 'other';
}

/** What to do after the demo: the address, and the one command that makes a sign-in. */
export function demoNextSteps(url: string, bankRunsHere: boolean): string[] {
  return [
    `Next: open ${url}/sign-in and sign in. To get an account, create your first admin once`,
    `(${bankRunsHere ? 'in another terminal; ' : ''}the password is printed once):`,
    `  npx insight-bank users:create --email you@example.nhs.uk --role admin --org ${DEMO_ORG}`,
    `Then search the synthetic comments at ${url}/search.`,
  ];
}
