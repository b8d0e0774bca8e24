import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  buildMapping,
  chooseProfile,
  IngestionError,
  mapRecord,
  MappingError,
  mappingSummary,
  readRecords,
  type CandidateComment,
  type ColumnMapping,
  type RawRecord,
  type SourceFormat,
} from '../../../ingestion';
import { BatchesRepository, type RejectionInput } from '../batches.repository';
import { BatchLifecycleService } from '../batch-lifecycle.service';
import { FileStore } from '../file-store';
import { TERMINAL_BATCH_STATUSES, type Batch } from '../batch.entity';
import { APP_CONFIG } from '../../config/config';
import type { AppConfig } from '../../config/env.schema';
import { redact } from '../../enrichment/redaction/redactor';
import { PipelineQueues } from '../../queues/pipeline-queues';
import { redactField } from '../../enrichment/redaction/redactor';

/** Comments per chunk handed to the enrich step. */
export const CHUNK_SIZE = 2000;
/** Records read before the column mapping is chosen, so per-question columns can be told apart by their values. */
const SAMPLE_SIZE = 50;
const PROGRESS_EVERY = 5000;

export interface BatchOptions {
  format?: SourceFormat;
  sheet?: string | number;
  dateOrder?: 'dmy' | 'mdy';
  encoding?: string;
  delimiter?: string;
}

/**
 * The ingest step: stream-parse the stored file, map columns, check each row, and hand good
 * comments to the enrich step in chunks while recording every rejected row. Re-running it after a
 * crash is harmless: chunks and rejections are keyed on their place in the file.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);

  constructor(
    private readonly batches: BatchesRepository,
    private readonly lifecycle: BatchLifecycleService,
    private readonly files: FileStore,
    private readonly queues: PipelineQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async ingest(batchId: string, signal?: AbortSignal): Promise<void> {
    const batch = await this.batches.findById(batchId);
    if (!batch || TERMINAL_BATCH_STATUSES.includes(batch.status)) return;
    if (batch.parseComplete) {
      await this.lifecycle.advance(batchId);
      return;
    }
    if (!this.files.hasUpload(batchId)) {
      await this.lifecycle.fail(
        batchId,
        'The uploaded file is no longer in the file store; upload it again.',
      );
      return;
    }
    await this.batches.transition(batchId, 'parse', { startedAt: batch.startedAt ?? new Date() });
    try {
      await this.parse(batch, signal);
    } catch (e) {
      if (e instanceof BatchDeleted) {
        await this.dropDeleted(batchId);
        return;
      }
      if (e instanceof IngestionError || e instanceof MappingError) {
        const where = e instanceof IngestionError && e.rowNumber ? ` (row ${e.rowNumber})` : '';
        // Kept on the batch and shown to all who see it; it can quote the file's first row.
        await this.lifecycle.fail(batchId, redactField(`${e.message}${where}`), e.code);
        return;
      }
      throw e;
    }
    // Deleted between the last check in the parse and its end: drop what that stretch wrote.
    if (await this.batches.isDeleted(batchId)) {
      await this.dropDeleted(batchId);
      return;
    }
    await this.lifecycle.advance(batchId);
  }

  /**
   * A batch deleted while its file was being parsed: deletion removed what existed then; this
   * removes what the parse wrote since (chunk files, chunk and rejected rows), as the last writer.
   */
  private async dropDeleted(batchId: string): Promise<void> {
    await this.batches.removeLeftoversOfDeleted(batchId);
    await this.files.deleteBatchFiles(batchId);
    this.logger.log(`Batch ${batchId} was deleted while being parsed; its work was dropped`);
  }

  private async parse(batch: Batch, signal?: AbortSignal): Promise<void> {
    const opts = batch.options as BatchOptions;
    let headers: string[] | undefined;
    const records = readRecords(this.files.uploadPath(batch.id), {
      fileName: batch.fileName,
      format: opts.format,
      sheet: opts.sheet,
      encoding: opts.encoding,
      delimiter: opts.delimiter,
      maxUncompressedBytes: this.config.XLSX_MAX_UNCOMPRESSED_BYTES,
      onHeaders: (h) => {
        headers = h;
      },
    });
    const sample: RawRecord[] = [];
    let mapping: ColumnMapping | undefined;

    let chunk: CandidateComment[] = [];
    let chunkNo = 0;
    let units = 0;
    let rowsRead = 0;
    const rejections: RejectionInput[] = [];
    const warnings: Record<string, number> = {};
    const mapOptions = { dateOrder: opts.dateOrder, maxTextLength: this.config.MAX_COMMENT_LENGTH };

    const flushChunk = async (): Promise<void> => {
      if (!chunk.length) return;
      // Deletion marks the batch first; checking before each chunk stops the parse within 2,000 rows.
      if (await this.batches.isDeleted(batch.id)) throw new BatchDeleted();
      await this.writeChunk(batch.id, chunkNo, chunk);
      chunkNo += 1;
      chunk = [];
    };
    const flushRejections = async (): Promise<void> => {
      await this.batches.addRejections(batch.id, rejections.splice(0));
    };
    const handle = async (rec: RawRecord): Promise<void> => {
      rowsRead += 1;
      const { comments, problems } = mapRecord(rec, mapping!, mapOptions);
      for (const p of problems) {
        if (p.severity === 'error')
          rejections.push({
            rowNumber: p.rowNumber,
            part: p.part,
            outcome: 'rejected',
            reason: p.code,
            field: p.field,
            message: p.message,
          });
        else warnings[`warning:${p.code}`] = (warnings[`warning:${p.code}`] ?? 0) + 1;
      }
      units += comments.length + problems.filter((p) => p.severity === 'error').length;
      chunk.push(...comments);
      if (chunk.length >= CHUNK_SIZE) await flushChunk();
      if (rejections.length >= 1000) await flushRejections();
      if (rowsRead % PROGRESS_EVERY === 0) {
        await this.batches.update(batch.id, { rowsRead });
        if (signal?.aborted) throw new ShutdownRequested();
      }
    };
    const chooseMapping = (): ColumnMapping => {
      const hs = headers ?? [...new Set(sample.flatMap((r) => Object.keys(r.values)))];
      const { profile } = chooseProfile(hs, batch.profile ?? undefined, sample);
      return buildMapping(
        hs,
        profile,
        batch.columnMap ?? undefined,
        sample,
        batch.valueMap ?? undefined,
      );
    };

    try {
      for await (const rec of records) {
        if (!mapping) {
          sample.push(rec);
          if (sample.length < SAMPLE_SIZE) continue;
          mapping = chooseMapping();
          for (const r of sample) await handle(r);
          continue;
        }
        await handle(rec);
      }
    } finally {
      // records may be abandoned half-way (error or shutdown); make sure the file is closed
      await records.return(undefined);
    }
    if (!mapping) {
      if (!sample.length)
        throw new IngestionError('empty_file', 'The file has a header but no data rows.');
      mapping = chooseMapping();
      for (const r of sample) await handle(r);
    }
    await flushChunk();
    await flushRejections();
    if (await this.batches.isDeleted(batch.id)) throw new BatchDeleted();
    await this.batches.update(batch.id, {
      received: units,
      rowsRead,
      parseComplete: true,
      parsedAt: new Date(),
      profile: mapping.profile,
      // Column names are the partner's text (or, with no header row, a comment): de-identified.
      mapping: mappingSummary(mapping, headers, (h) => redact(h).text),
      errorSummary: warnings,
    });
    await this.batches.transition(batch.id, 'parsed');
    this.logger.log(
      `Batch ${batch.id} parsed: ${rowsRead} rows, ${units} comments, ${chunkNo} chunks`,
    );
  }

  private async writeChunk(
    batchId: string,
    chunkNo: number,
    comments: CandidateComment[],
  ): Promise<void> {
    const existing = await this.batches.findChunk(batchId, chunkNo);
    if (existing && (existing.status !== 'pending' || this.files.hasChunk(batchId, chunkNo))) {
      if (existing.status === 'pending') await this.queues.requestEnrich(batchId, chunkNo);
      return;
    }
    await this.files.writeChunk(
      batchId,
      chunkNo,
      comments.map((c) => JSON.stringify(c)),
    );
    await this.batches.addChunk({
      batchId,
      chunkNo,
      firstRow: comments[0].rowNumber,
      lastRow: comments[comments.length - 1].rowNumber,
      size: comments.length,
    });
    await this.queues.requestEnrich(batchId, chunkNo);
  }
}

/** Thrown inside the parse when the batch has been deleted meanwhile; the job ends quietly. */
class BatchDeleted extends Error {
  constructor() {
    super('The batch was deleted');
    this.name = 'BatchDeleted';
  }
}

/** Thrown inside a job when the process is stopping; the job is released for another worker. */
export class ShutdownRequested extends Error {
  constructor() {
    super('The worker is shutting down');
    this.name = 'ShutdownRequested';
  }
}
