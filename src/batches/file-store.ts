import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';

/**
 * An incoming file nobody has written to for this long is what is left of an upload cut short (the
 * api stopped or crashed mid-request; multer cleans up only when the process lives on). A live
 * upload writes every few milliseconds, Node ends a request that takes more than 5 minutes, and
 * `import` adopts its file within seconds, so 15 minutes never catches a file still in use.
 */
export const STALE_INCOMING_MS = 15 * 60_000;

/**
 * Where uploaded files and parsed chunks wait for the workers. They hold raw feedback, so they
 * live outside PostgreSQL (which holds only de-identified text), with owner-only permissions, and
 * are deleted as soon as their batch no longer needs them. In production UPLOAD_DIR is a volume
 * every api and worker machine mounts (NFS, EFS, Azure Files, a Kubernetes ReadWriteMany volume).
 */
@Injectable()
export class FileStore implements OnApplicationBootstrap {
  private readonly logger = new Logger(FileStore.name);
  private readonly root: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = path.resolve(config.UPLOAD_DIR);
  }

  /** Leftovers of uploads cut short by the previous run go at start, not a sweep later. */
  async onApplicationBootstrap(): Promise<void> {
    await this.removeStaleIncoming().catch((e: unknown) =>
      this.logger.warn(`Could not clean ${this.incomingDir()} (${(e as Error).message})`),
    );
  }

  /**
   * Deletes partial uploads (raw feedback) that no upload will ever finish. Run at start and by the
   * sweeper; several processes may run it at once over a shared volume.
   */
  async removeStaleIncoming(now = Date.now()): Promise<number> {
    const dir = this.incomingDir();
    let removed = 0;
    for (const name of await fs.promises.readdir(dir)) {
      const file = path.join(dir, name);
      try {
        const stat = await fs.promises.lstat(file);
        if (stat.isDirectory() || now - stat.mtimeMs < STALE_INCOMING_MS) continue;
        await fs.promises.rm(file, { force: true });
        removed += 1;
      } catch (e) {
        // another process removed or adopted it meanwhile
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    if (removed)
      this.logger.log(`Removed ${removed} partial upload(s) left by an interrupted request`);
    return removed;
  }

  /** A folder for multer to write incoming uploads to. */
  incomingDir(): string {
    const dir = path.join(this.root, 'incoming');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  batchDir(batchId: string): string {
    return path.join(this.root, 'batches', batchId);
  }

  uploadPath(batchId: string): string {
    return path.join(this.batchDir(batchId), 'upload');
  }

  async adoptUpload(tempFile: string, batchId: string): Promise<void> {
    const dir = this.batchDir(batchId);
    await fs.promises.mkdir(path.join(dir, 'chunks'), { recursive: true, mode: 0o700 });
    await fs.promises.rename(tempFile, this.uploadPath(batchId));
    await fs.promises.chmod(this.uploadPath(batchId), 0o600);
  }

  hasUpload(batchId: string): boolean {
    return fs.existsSync(this.uploadPath(batchId));
  }

  chunkPath(batchId: string, chunkNo: number): string {
    return path.join(
      this.batchDir(batchId),
      'chunks',
      `${String(chunkNo).padStart(6, '0')}.ndjson`,
    );
  }

  hasChunk(batchId: string, chunkNo: number): boolean {
    return fs.existsSync(this.chunkPath(batchId, chunkNo));
  }

  /** Written under a temporary name and renamed, so a reader never sees half a chunk. */
  async writeChunk(batchId: string, chunkNo: number, lines: string[]): Promise<void> {
    const target = this.chunkPath(batchId, chunkNo);
    await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const tmp = `${target}.${randomUUID()}.tmp`;
    await fs.promises.writeFile(tmp, lines.join('\n') + '\n', { mode: 0o600 });
    await fs.promises.rename(tmp, target);
  }

  async readChunk(batchId: string, chunkNo: number): Promise<string[]> {
    const text = await fs.promises.readFile(this.chunkPath(batchId, chunkNo), 'utf8');
    return text.split('\n').filter((l) => l.length > 0);
  }

  async deleteChunk(batchId: string, chunkNo: number): Promise<void> {
    await fs.promises.rm(this.chunkPath(batchId, chunkNo), { force: true });
  }

  /** Removes the upload and every chunk of a batch. */
  async deleteBatchFiles(batchId: string): Promise<void> {
    await fs.promises.rm(this.batchDir(batchId), { recursive: true, force: true });
  }

  async discard(tempFile: string): Promise<void> {
    await fs.promises.rm(tempFile, { force: true });
  }
}

export function sha256OfFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    fs.createReadStream(file)
      .on('data', (c) => hash.update(c))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
