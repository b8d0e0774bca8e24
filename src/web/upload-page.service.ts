import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { PROFILES } from '../../ingestion';
import { csrf } from '../access/csrf';
import { auditActor, principalOf } from '../access/request-context';
import type { Principal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { SHARING_LEVELS, SOURCE_TYPES, type SharingLevel } from '../batches/batch.entity';
import { BatchesService, type UploadedFile } from '../batches/batches.service';
import type { CreateBatchDto } from '../batches/dto/create-batch.dto';
import { FileStore } from '../batches/file-store';
import { DomainError } from '../common/domain-error';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { OrganisationsService } from '../organisations/organisations.service';
import { dateParts, readDate, type DateParts } from './form-dates';
import { field, formErrors, type FieldError } from './forms';
import { label } from './labels';

/** What the person typed, shown again when the form comes back with a problem. */
export interface UploadValues {
  organisation: string;
  sourceType: string;
  title: string;
  collectionMethod: string;
  collectedFrom: DateParts;
  collectedTo: DateParts;
  sharingLevel: string;
  retentionUntil: DateParts;
  profile: string;
  columnMap: string;
  valueMap: string;
  dateOrder: string;
  sampleDescription: string;
  lawfulBasis: string;
}

export const SHARING_LEVEL_HINTS: Record<SharingLevel, string> = {
  public: 'Everyone, including people who are not signed in when the bank allows that',
  system: 'Every organisation signed in to the bank',
  icb: 'The integrated care board and your own organisation (the usual choice)',
  restricted: 'Administrators, moderators and your own organisation only',
};

/** The form's fields in page order: the error summary lists problems in this order. */
const FIELD_ORDER = [
  'file',
  'organisation',
  'sourceType',
  'title',
  'collectionMethod',
  'collectedFrom-day',
  'collectedTo-day',
  'sharingLevel',
  'retentionUntil-day',
  'profile',
  'columnMap',
  'valueMap',
  'dateOrder',
  'sampleDescription',
  'lawfulBasis',
];

/** The control a service message is about: its first word when that names a field. */
const CONTROL_OF_FIELD: Record<string, string> = {
  organisation: 'organisation',
  sourceType: 'sourceType',
  title: 'title',
  collectionMethod: 'collectionMethod',
  collectedFrom: 'collectedFrom-day',
  collectedTo: 'collectedTo-day',
  sharingLevel: 'sharingLevel',
  retentionUntil: 'retentionUntil-day',
  profile: 'profile',
  dateOrder: 'dateOrder',
  columnMap: 'columnMap',
  valueMap: 'valueMap',
  sheet: 'file',
};

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round(n / (1024 * 1024))} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

function sorted(problems: FieldError[]): FieldError[] {
  const rank = (f: string): number => {
    const i = FIELD_ORDER.indexOf(f);
    return i === -1 ? FIELD_ORDER.length : i;
  };
  return [...problems].sort((a, b) => rank(a.field) - rank(b.field));
}

/** A service refusal as form problems, each against the control it names (else the file). */
export function problemsFromService(e: DomainError): FieldError[] {
  if (e.code === 'forbidden') return [{ field: 'organisation', message: e.message }];
  return e.message
    .split('; ')
    .filter((m) => m.trim() !== '')
    .map((message) => {
      // The file's check words problems with the maps in a sentence: "The value map has codes …".
      const map = /^The (column|value) map\b/.exec(message)?.[1];
      if (map) return { field: `${map}Map`, message };
      const first = /^([A-Za-z]+)/.exec(message)?.[1] ?? '';
      return { field: CONTROL_OF_FIELD[first] ?? 'file', message };
    });
}

/**
 * Reads and checks the upload form. Problems are worded for people and name the control; the
 * batches service checks the same fields again (the API's rules stay the only rules).
 */
export function readUploadForm(
  body: unknown,
  uploader: Principal,
  organisations: ReadonlySet<string>,
  today: string,
): { values: UploadValues; dto?: CreateBatchDto; problems: FieldError[] } {
  const text = (name: string): string => field(body, name).trim();
  const values: UploadValues = {
    organisation: text('organisation'),
    sourceType: text('sourceType'),
    title: text('title'),
    collectionMethod: text('collectionMethod'),
    collectedFrom: dateParts(body, 'collectedFrom'),
    collectedTo: dateParts(body, 'collectedTo'),
    sharingLevel: text('sharingLevel') || 'icb',
    retentionUntil: dateParts(body, 'retentionUntil'),
    profile: text('profile'),
    columnMap: text('columnMap'),
    valueMap: text('valueMap'),
    dateOrder: text('dateOrder') || 'dmy',
    sampleDescription: text('sampleDescription'),
    lawfulBasis: text('lawfulBasis'),
  };
  const problems: FieldError[] = [];
  const mayChooseOrganisation = uploader.role === 'admin' || uploader.role === 'moderator';
  if (mayChooseOrganisation && values.organisation && !organisations.has(values.organisation))
    problems.push({ field: 'organisation', message: 'Select an organisation from the list' });
  if (!(SOURCE_TYPES as readonly string[]).includes(values.sourceType))
    problems.push({ field: 'sourceType', message: 'Select where the feedback comes from' });
  if (values.title === '') problems.push({ field: 'title', message: 'Enter a title' });
  else if (values.title.length > 200)
    problems.push({ field: 'title', message: 'Title must be 200 characters or fewer' });
  if (values.collectionMethod.length > 200)
    problems.push({
      field: 'collectionMethod',
      message: 'How it was collected must be 200 characters or fewer',
    });
  const from = readDate(values.collectedFrom, 'Start of collection');
  const to = readDate(values.collectedTo, 'End of collection');
  const retention = readDate(values.retentionUntil, 'Delete after');
  if (from.problem) problems.push({ field: 'collectedFrom-day', message: from.problem });
  if (to.problem) problems.push({ field: 'collectedTo-day', message: to.problem });
  if (from.iso && to.iso && from.iso > to.iso)
    problems.push({
      field: 'collectedTo-day',
      message: 'End of collection must be the same as or after the start',
    });
  if (retention.problem) problems.push({ field: 'retentionUntil-day', message: retention.problem });
  else if (retention.iso && retention.iso <= today)
    problems.push({ field: 'retentionUntil-day', message: 'Delete after must be in the future' });
  if (!(SHARING_LEVELS as readonly string[]).includes(values.sharingLevel))
    problems.push({ field: 'sharingLevel', message: 'Select who may see the comments' });
  if (values.profile && !Object.keys(PROFILES).includes(values.profile))
    problems.push({ field: 'profile', message: 'Select a file layout from the list' });
  // Their content is checked by the batches service, whose messages name the problem.
  if (values.columnMap.length > 5000)
    problems.push({ field: 'columnMap', message: 'Column map must be 5000 characters or fewer' });
  if (values.valueMap.length > 20000)
    problems.push({ field: 'valueMap', message: 'Value map must be 20000 characters or fewer' });
  if (!['dmy', 'mdy'].includes(values.dateOrder))
    problems.push({ field: 'dateOrder', message: 'Select how dates are written in the file' });
  for (const [name, what] of [
    ['sampleDescription', 'Who took part'],
    ['lawfulBasis', 'Lawful basis or consent'],
  ] as const)
    if (values[name].length > 2000)
      problems.push({ field: name, message: `${what} must be 2000 characters or fewer` });
  if (problems.length) return { values, problems: sorted(problems) };

  const dto = {
    ...(mayChooseOrganisation && values.organisation ? { organisation: values.organisation } : {}),
    sourceType: values.sourceType,
    title: values.title,
    ...(values.collectionMethod ? { collectionMethod: values.collectionMethod } : {}),
    ...(from.iso ? { collectedFrom: from.iso } : {}),
    ...(to.iso ? { collectedTo: to.iso } : {}),
    sharingLevel: values.sharingLevel,
    ...(retention.iso ? { retentionUntil: retention.iso } : {}),
    ...(values.profile ? { profile: values.profile } : {}),
    ...(values.columnMap ? { columnMap: values.columnMap } : {}),
    ...(values.valueMap ? { valueMap: values.valueMap } : {}),
    dateOrder: values.dateOrder,
    ...(values.sampleDescription ? { sampleDescription: values.sampleDescription } : {}),
    ...(values.lawfulBasis ? { lawfulBasis: values.lawfulBasis } : {}),
  } as CreateBatchDto;
  return { values, dto, problems };
}

export type UploadOutcome =
  | { done: { batchId: string; existing: boolean; message: string; awaitingReview: boolean } }
  | { values: UploadValues; problems: FieldError[] };

/** The upload page: the form's choices, and an upload through the same service as the API. */
@Injectable()
export class UploadPageService {
  constructor(
    private readonly batches: BatchesService,
    private readonly files: FileStore,
    private readonly organisations: OrganisationsService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The form's model: choices for every control, values, problems. */
  async model(
    req: Request,
    values: Partial<UploadValues> = {},
    problems: FieldError[] = [],
  ): Promise<Record<string, unknown>> {
    const uploader = principalOf(req);
    const mayChooseOrganisation = uploader.role === 'admin' || uploader.role === 'moderator';
    const chosenOrg = values.organisation || uploader.organisationCode || '';
    const orgs = mayChooseOrganisation ? await this.organisations.list() : [];
    const ownName = mayChooseOrganisation
      ? null
      : uploader.organisationCode
        ? (await this.organisations.byCode(uploader.organisationCode).catch(() => null))?.name
        : null;
    const sharing = values.sharingLevel ?? 'icb';
    const dateOrder = values.dateOrder ?? 'dmy';
    return {
      values,
      errors: formErrors(problems),
      // The multipart body is read after the access check, so the token travels in the address.
      action: `/upload?_csrf=${encodeURIComponent(uploadToken(req))}`,
      maxSize: formatBytes(this.config.UPLOAD_MAX_BYTES),
      retentionYears: this.config.RETENTION_DEFAULT_YEARS,
      ownOrganisation: ownName ?? uploader.organisationCode,
      organisationItems: mayChooseOrganisation
        ? orgs
            .map((o) => ({
              value: o.code,
              text: `${o.name} (${o.code})`,
              selected: o.code === chosenOrg,
            }))
            .sort((a, b) => a.text.localeCompare(b.text))
        : null,
      sourceTypeItems: [
        { value: '', text: 'Choose a source type', selected: !values.sourceType },
        ...SOURCE_TYPES.map((s) => ({
          value: s,
          text: label(s),
          selected: values.sourceType === s,
        })),
      ],
      sharingItems: SHARING_LEVELS.map((s) => ({
        value: s,
        text: label(s),
        hint: { text: SHARING_LEVEL_HINTS[s] },
        checked: sharing === s,
      })),
      profileItems: [
        { value: '', text: 'Work it out from the column headings', selected: !values.profile },
        ...Object.values(PROFILES).map((p) => ({
          value: p.name,
          text: label(p.name.replace(/-/g, '_')),
          selected: values.profile === p.name,
        })),
      ],
      profiles: Object.values(PROFILES).map((p) => ({
        name: label(p.name.replace(/-/g, '_')),
        description: p.description,
      })),
      dateOrderItems: [
        {
          value: 'dmy',
          text: 'Day first, as in the UK (03/04/2024 is 3 April)',
          checked: dateOrder === 'dmy',
        },
        { value: 'mdy', text: 'Month first (03/04/2024 is 4 March)', checked: dateOrder === 'mdy' },
      ],
    };
  }

  /**
   * Checks the form, then hands the file to the batches service (it discards the file whatever
   * happens); a file refused by the form is discarded here. Audited as the API audits an upload.
   */
  async submit(
    req: Request,
    body: unknown,
    file: UploadedFile | undefined,
    fileProblem: string | undefined,
  ): Promise<UploadOutcome> {
    const uploader = principalOf(req);
    const orgCodes = new Set((await this.organisations.list()).map((o) => o.code));
    const today = new Date().toISOString().slice(0, 10);
    const { values, dto, problems } = readUploadForm(body, uploader, orgCodes, today);
    if (fileProblem) problems.unshift({ field: 'file', message: fileProblem });
    else if (!file) problems.unshift({ field: 'file', message: 'Select a file to upload' });
    if (!dto || problems.length) {
      if (file) await this.files.discard(file.path);
      return { values, problems };
    }
    try {
      const result = await this.batches.create(dto, file, uploader);
      if (!result.existing)
        await this.audit.record(auditActor(req), {
          action: 'batch.upload',
          targetType: 'batch',
          targetId: result.id,
          details: { sourceType: dto.sourceType, sharingLevel: dto.sharingLevel ?? 'icb' },
        });
      return {
        done: {
          batchId: result.id,
          existing: result.existing,
          message: result.message,
          awaitingReview: result.reviewStatus === 'awaiting_review',
        },
      };
    } catch (e) {
      if (e instanceof DomainError && ['invalid_input', 'forbidden'].includes(e.code))
        return { values, problems: sorted(problemsFromService(e)) };
      throw e;
    }
  }
}

/** The session's CSRF token, for the form's address (anonymous callers never reach the form). */
function uploadToken(req: Request): string {
  return req.principal?.kind === 'user' && req.session ? csrf.generateToken(req) : '';
}
