import * as fs from 'node:fs';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  buildMapping,
  CANONICAL_FIELDS,
  checkValueMap,
  chooseProfile,
  detectFormat,
  IngestionError,
  MappingError,
  readRecords,
  type RawRecord,
  type SourceFormat,
  type ValueMap,
  type ValueMapField,
} from '../../ingestion';
import { normaliseDemographics } from '../enrichment/demographics/demographics';
import type { Actor } from '../access/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { OrganisationsService } from '../organisations/organisations.service';
import type { Principal } from '../access/principal';
import { UNRESTRICTED, type AccessScope } from '../access/scope';
import { PipelineQueues } from '../queues/pipeline-queues';
import { initialReviewStatus } from '../moderation/review-policy';
import { redactField, redactFileName } from '../enrichment/redaction/redactor';
import type { Batch, BatchStatus, ReviewStatus } from './batch.entity';
import { BatchesRepository } from './batches.repository';
import { batchDateProblems, type CreateBatchDto } from './dto/create-batch.dto';
import { batchLinks, toBatchView, type BatchView } from './dto/batch-view';
import { FileStore, sha256OfFile } from './file-store';

export interface UploadedFile {
  path: string;
  originalname: string;
  size: number;
}

export interface CreateBatchResult {
  id: string;
  status: BatchStatus;
  /** `awaiting_review` until a moderator approves the batch; its comments stay within the organisation. */
  reviewStatus: ReviewStatus;
  links: BatchView['links'];
  /** true when this exact file had already been uploaded by the organisation: the existing batch is returned. */
  existing: boolean;
  message: string;
}

const PRECHECK_RECORDS = 50;

/**
 * Uploads and batch queries. The heavy work happens in the worker (ingest → enrich → index). An
 * upload records its own audit row, so the API and the upload page audit it alike.
 */
@Injectable()
export class BatchesService {
  private readonly logger = new Logger(BatchesService.name);

  constructor(
    private readonly batches: BatchesRepository,
    private readonly orgs: OrganisationsService,
    private readonly files: FileStore,
    private readonly queues: PipelineQueues,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A new batch from an uploaded file, or the existing one made from the same file. An upload by
   * an actor (the API or the upload page) is audited as `batch.upload` when it makes a batch; the
   * command line's imports have no actor.
   */
  async create(
    dto: CreateBatchDto,
    file: UploadedFile | undefined,
    actor?: Actor,
  ): Promise<CreateBatchResult> {
    if (!file)
      throw new DomainError(
        'invalid_input',
        "file is required: send the feedback file in the multipart field 'file'",
      );
    let result: CreateBatchResult;
    try {
      result = await this.createFromFile(dto, file, actor?.principal);
    } finally {
      await this.files.discard(file.path); // gone already when adopted into the store
    }
    if (actor && !result.existing)
      await this.audit.record(actor, {
        action: 'batch.upload',
        targetType: 'batch',
        targetId: result.id,
        details: {
          sourceType: dto.sourceType,
          sharingLevel: dto.sharingLevel ?? 'icb',
          reviewStatus: result.reviewStatus,
        },
      });
    return result;
  }

  private async createFromFile(
    dto: CreateBatchDto,
    file: UploadedFile,
    uploader?: Principal,
  ): Promise<CreateBatchResult> {
    const columnMap = parseColumnMap(dto.columnMap);
    const valueMap = parseValueMap(dto.valueMap);
    checkDates(dto);
    const orgCode = uploadOrganisation(dto.organisation, uploader);
    const org = await this.orgs.byCode(orgCode).catch((e: unknown) => {
      if (e instanceof DomainError && e.code === 'not_found')
        throw new DomainError('invalid_input', e.message);
      throw e;
    });
    if (file.size === 0)
      throw new DomainError(
        'invalid_input',
        `The file ${redactFileName(file.originalname)} is empty`,
      );
    const format = await this.checkFile(file, dto, columnMap, valueMap);

    const sha256 = await sha256OfFile(file.path);
    const existing = await this.batches.findBySha(org.id, sha256);
    if (existing) return this.alreadyUploaded(existing);

    const retention = dto.retentionUntil ?? yearsFromNow(this.config.RETENTION_DEFAULT_YEARS);
    const reviewStatus = initialReviewStatus(org, uploader);
    let batch: Batch;
    try {
      batch = await this.batches.create({
        organisationId: org.id,
        sourceType: dto.sourceType,
        // Provenance is shown to everyone who may see the batch and kept in its tombstone, so it
        // is de-identified as comments are: partners name files and batches after people.
        title: redactField(dto.title.trim()),
        collectionMethod: optionalField(dto.collectionMethod),
        collectedFrom: dto.collectedFrom ?? null,
        collectedTo: dto.collectedTo ?? null,
        sampleDescription: optionalField(dto.sampleDescription),
        lawfulBasis: optionalField(dto.lawfulBasis),
        sharingLevel: dto.sharingLevel ?? 'icb',
        retentionUntil: retention,
        fileName: redactFileName(file.originalname.slice(0, 255)),
        fileSha256: sha256,
        fileSize: String(file.size),
        profile: dto.profile ?? null,
        columnMap: columnMap ?? null,
        valueMap: valueMap ?? null,
        options: {
          format,
          ...(dto.dateOrder ? { dateOrder: dto.dateOrder } : {}),
          ...(dto.sheet ? { sheet: /^\d+$/.test(dto.sheet) ? Number(dto.sheet) : dto.sheet } : {}),
        },
        reviewStatus,
      });
    } catch (e) {
      if ((e as { code?: string }).code === '23505') {
        const raced = await this.batches.findBySha(org.id, sha256);
        if (raced) return this.alreadyUploaded(raced);
      }
      throw e;
    }
    await this.files.adoptUpload(file.path, batch.id);
    await this.queues.requestIngest(batch.id).catch((e: unknown) => {
      // The batch is safe in PostgreSQL; the sweeper enqueues it when Redis is back.
      this.logger.warn(
        `Could not enqueue batch ${batch.id} now (${(e as Error).name}); the sweeper will retry`,
      );
    });
    return {
      id: batch.id,
      status: 'received',
      reviewStatus,
      links: batchLinks(batch.id),
      existing: false,
      message:
        reviewStatus === 'awaiting_review'
          ? 'Accepted: the file is being processed. Its comments are seen outside your organisation once a moderator approves the batch.'
          : 'Accepted: the file is being processed.',
    };
  }

  private alreadyUploaded(b: Batch): CreateBatchResult {
    return {
      id: b.id,
      status: b.status,
      reviewStatus: b.reviewStatus,
      links: batchLinks(b.id),
      existing: true,
      message: `This file was already uploaded by this organisation on ${b.createdAt.toISOString().slice(0, 10)} as batch ${b.id}; nothing new was added.`,
    };
  }

  /**
   * Rejects at once what can be known from the first bytes and rows: an unsupported or unreadable
   * file, a missing text column. XLSX files are checked fully by the worker.
   */
  private async checkFile(
    file: UploadedFile,
    dto: CreateBatchDto,
    columnMap: Record<string, string> | undefined,
    valueMap: ValueMap | undefined,
  ): Promise<SourceFormat> {
    const head = Buffer.alloc(8192);
    const fd = await fs.promises.open(file.path, 'r');
    let n: number;
    try {
      ({ bytesRead: n } = await fd.read(head, 0, head.length, 0));
    } finally {
      await fd.close();
    }
    try {
      const format = detectFormat(file.originalname, head.subarray(0, n));
      if (format === 'xlsx') return format;
      const sample: RawRecord[] = [];
      let headers: string[] | undefined;
      const records = readRecords(file.path, {
        format,
        fileName: file.originalname,
        onHeaders: (h) => (headers = h),
      });
      try {
        for await (const r of records) {
          sample.push(r);
          if (sample.length >= PRECHECK_RECORDS) break;
        }
      } catch (e) {
        // a syntax error further in is for the worker to report with its row; a broken start is not
        if (!(e instanceof IngestionError) || !sample.length) throw e;
      }
      if (!sample.length)
        throw new DomainError(
          'invalid_input',
          `The file ${redactFileName(file.originalname)} has no data rows`,
        );
      const hs = headers ?? [...new Set(sample.flatMap((r) => Object.keys(r.values)))];
      const { profile } = chooseProfile(hs, dto.profile, sample);
      buildMapping(hs, profile, columnMap, sample, valueMap);
      return format;
    } catch (e) {
      if (e instanceof IngestionError || e instanceof MappingError) {
        // The message lists the file's column names, which are data when the file has no header.
        throw new DomainError('invalid_input', redactField(e.message), {
          code: e.code,
          ...(e instanceof IngestionError && e.rowNumber ? { row: e.rowNumber } : {}),
        });
      }
      throw e;
    }
  }

  /** A batch the caller may see; a hidden batch is "not found", exactly like a missing one. */
  async get(id: string, scope: AccessScope = UNRESTRICTED): Promise<BatchView> {
    const b = await this.batches.findVisible(id, scope);
    if (!b) throw new DomainError('not_found', `Batch ${id} was not found`);
    // Answers not placed are, like rejected rows, the uploader's working material.
    const showUnplaced = !!scope.includeUnapproved || b.organisationId === scope.ownOrganisationId;
    return toBatchView(b, await this.batches.chunkProgress(id), { showUnplaced });
  }

  async list(
    filter: {
      organisation?: string;
      status?: string;
      sourceType?: string;
      reviewStatus?: string;
      page: number;
      pageSize: number;
    },
    scope: AccessScope = UNRESTRICTED,
  ) {
    if (filter.status === 'deleted' && !scope.includeUnapproved)
      throw new DomainError('forbidden', 'Only admins and moderators may list deleted batches');
    // An unknown organisation code lists nothing rather than answering 404, so the list does not
    // tell a caller which organisation codes exist.
    let organisationId: string | undefined;
    if (filter.organisation) {
      const org = await this.orgs.byCode(filter.organisation).catch(() => undefined);
      if (!org) return { items: [], total: 0, page: filter.page, pageSize: filter.pageSize };
      organisationId = org.id;
    }
    const { items, total } = await this.batches.list({
      scope,
      organisationId,
      status: filter.status as BatchStatus | undefined,
      sourceType: filter.sourceType,
      reviewStatus: filter.reviewStatus as ReviewStatus | undefined,
      limit: filter.pageSize,
      offset: (filter.page - 1) * filter.pageSize,
    });
    return {
      items: items.map((b) => toBatchView(b)),
      total,
      page: filter.page,
      pageSize: filter.pageSize,
    };
  }

  /** Rejected and duplicate rows as CSV lines (header first), streamed a page at a time. */
  async *rejectionsCsv(id: string, scope: AccessScope = UNRESTRICTED): AsyncGenerator<string> {
    const b = await this.batches.findVisible(id, scope);
    // Rejected rows are the uploader's working material: its own organisation, admins, moderators.
    const mayRead = scope.includeUnapproved || (b && b.organisationId === scope.ownOrganisationId);
    if (!b || !mayRead) throw new DomainError('not_found', `Batch ${id} was not found`);
    yield 'row_number,part,outcome,reason,field,message,duplicate_of\n';
    for await (const page of this.batches.rejections(id)) {
      yield page
        .map(
          (r) =>
            [
              r.rowNumber,
              r.part,
              r.outcome,
              r.reason,
              r.field ?? '',
              r.message,
              r.duplicateOf ?? '',
            ]
              .map(csvCell)
              .join(',') + '\n',
        )
        .join('');
    }
  }
}

function optionalField(v: string | undefined): string | null {
  return v === undefined ? null : redactField(v);
}

function csvCell(v: string | number): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`; // spreadsheet formula injection
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** An upload's JSON option: undefined when empty, else parsed, or `invalid_input` with `shape`. */
function parseJsonOption(raw: string | undefined, shape: string): unknown {
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new DomainError('invalid_input', shape);
  }
}

function parseColumnMap(raw: string | undefined): Record<string, string> | undefined {
  const shape = 'columnMap must be a JSON object such as {"text":"Your comments"}';
  const parsed = parseJsonOption(raw, shape);
  if (parsed === undefined) return undefined;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DomainError('invalid_input', shape);
  }
  const problems: string[] = [];
  for (const [k, v] of Object.entries(parsed)) {
    if (!(CANONICAL_FIELDS as readonly string[]).includes(k))
      problems.push(`columnMap: unknown field "${k}" (fields: ${CANONICAL_FIELDS.join(', ')})`);
    if (typeof v !== 'string' || !v.trim())
      problems.push(`columnMap.${k} must be the column header as it appears in the file`);
  }
  if (problems.length) throw new DomainError('invalid_input', problems.join('; '));
  return parsed as Record<string, string>;
}

/** What each field's answers look like, for a message about an answer the bank cannot place. */
const ANSWER_EXAMPLES: Record<ValueMapField, string> = {
  age: '"34", "25-34", "85+"',
  sex: '"female", "male", "prefer not to say"',
  gender: '"woman", "man", "non-binary", "other"',
  ethnicity: '"White British", "Indian", "Black Caribbean", "mixed"',
  disability: '"yes", "no", "prefer not to say"',
  carer: '"yes", "no", "prefer not to say"',
  sexuality: '"heterosexual", "gay or lesbian", "bisexual", "other"',
  religion: '"Christian", "Muslim", "Sikh", "no religion", "other"',
  deprivationDecile: '"1" to "10"',
};

/**
 * A partner's value map: a JSON object field -> { code -> answer }, each answer one the
 * demographics normaliser places (a code mapped to an answer the bank cannot read helps nobody).
 */
export function parseValueMap(raw: string | undefined): ValueMap | undefined {
  const parsed = parseJsonOption(
    raw,
    'valueMap must be JSON: an object of fields, each an object of code to answer, such as {"religion":{"7":"Sikh"}}',
  );
  if (parsed === undefined) return undefined;
  const { valueMap, problems } = checkValueMap(parsed);
  if (valueMap) {
    for (const [field, codes] of Object.entries(valueMap) as [
      ValueMapField,
      Record<string, string>,
    ][]) {
      for (const [code, answer] of Object.entries(codes)) {
        if (normaliseDemographics({ [field]: answer }).unrecognised.length === 0) continue;
        problems.push(
          `valueMap.${field}."${code.slice(0, 40)}": "${answer.slice(0, 40)}" is not an answer the bank can place for ${field} (answers are written like ${ANSWER_EXAMPLES[field]})`,
        );
      }
    }
  }
  // Codes and answers are the partner's configuration, but de-identified like any echoed input.
  if (problems.length) throw new DomainError('invalid_input', redactField(problems.join('; ')));
  return valueMap;
}

function checkDates(dto: CreateBatchDto): void {
  const problems = batchDateProblems(dto, new Date().toISOString().slice(0, 10));
  if (problems.length)
    throw new DomainError('invalid_input', problems.map((p) => p.message).join('; '));
}

function yearsFromNow(years: number): string {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}

/**
 * The organisation an upload is for: the uploader's own. Admins and moderators may name another
 * (the engagement team uploads on partners' behalf); anyone else naming another is refused.
 */
export function uploadOrganisation(named: string | undefined, uploader?: Principal): string {
  if (!uploader) {
    if (!named) throw new DomainError('invalid_input', 'organisation is required');
    return named;
  }
  const own = uploader.organisationCode;
  if (!named || named === own) {
    if (!own) throw new DomainError('invalid_input', 'organisation is required');
    return own;
  }
  if (uploader.role === 'admin' || uploader.role === 'moderator') return named;
  throw new DomainError(
    'forbidden',
    `organisation: you may upload only for your own organisation (${own ?? 'none'})`,
  );
}
