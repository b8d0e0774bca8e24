import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AppConfig } from './env.schema';

/** Where a development machine keeps its generated key when REFERENCE_HASH_SECRET is unset. */
export const REFERENCE_SECRET_FILE = path.join('.data', 'reference-hash.key');

const cache = new Map<string, string>();

/**
 * The key row references are hashed with. Production must set REFERENCE_HASH_SECRET (the env
 * schema refuses to start without it) so every worker on every machine hashes alike. Elsewhere a
 * key is generated once and kept in REFERENCE_SECRET_FILE (owner-only), like the bundled
 * Meilisearch's master key, so processes on one machine and restarts agree. Changing the key
 * makes every earlier reference look new: a re-upload is then stored again, not corrected.
 */
export function referenceHashSecret(config: Pick<AppConfig, 'REFERENCE_HASH_SECRET'>): string {
  if (config.REFERENCE_HASH_SECRET) return config.REFERENCE_HASH_SECRET;
  const file = path.resolve(REFERENCE_SECRET_FILE);
  const known = cache.get(file);
  if (known) return known;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (!fs.existsSync(file)) {
    // Written aside and linked into place, so a process starting alongside never reads half a key.
    const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(draft, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
    try {
      fs.linkSync(draft, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      fs.unlinkSync(draft);
    }
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < 32)
    throw new Error(
      `The reference key file ${file} is damaged: restore it, or set REFERENCE_HASH_SECRET`,
    );
  cache.set(file, secret);
  return secret;
}
