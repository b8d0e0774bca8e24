import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';

/**
 * Where uploaded files and parsed chunks wait for the workers. They hold raw feedback, so they
 * live outside PostgreSQL (which holds only de-identified text), with owner-only permissions, and
 * are deleted as soon as their batch no longer needs them. In production UPLOAD_DIR is a volume
 * every api and worker machine mounts (NFS, EFS, Azure Files, a Kubernetes ReadWriteMany volume).
 */
@Injectable()
export class FileStore {
  private readonly root: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = path.resolve(config.UPLOAD_DIR);
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
