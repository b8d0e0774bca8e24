import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { INestApplicationContext } from '@nestjs/common';
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
