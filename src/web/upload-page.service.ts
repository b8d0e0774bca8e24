import { Inject, Injectable } from '@nestjs/common';
import { PROFILES } from '../../ingestion';
import type { Actor } from '../access/actor';
import type { Principal } from '../access/principal';
import { SHARING_LEVELS, SOURCE_TYPES, type SharingLevel } from '../batches/batch.entity';
import { BatchesService, type UploadedFile } from '../batches/batches.service';
import {
  batchDateProblems,
  CreateBatchDto,
  type BatchDateProblem,
} from '../batches/dto/create-batch.dto';
import { FileStore } from '../batches/file-store';
import { DomainError } from '../common/domain-error';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { OrganisationsService } from '../organisations/organisations.service';
import { dateParts, readDate, type DateParts } from './form-dates';
import { field, formErrors, validateForm, type FieldError, type FieldWording } from './forms';
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

/** The page's words for the upload DTO's refusals, by field; the rules are the API's. */
const UPLOAD_WORDING: Record<string, FieldWording> = {
  organisation: { message: 'Select an organisation from the list' },
  sourceType: { message: 'Select where the feedback comes from' },
  title: { empty: 'Enter a title', message: 'Title must be 200 characters or fewer' },
  collectionMethod: { message: 'How it was collected must be 200 characters or fewer' },
  collectedFrom: { field: 'collectedFrom-day' },
  collectedTo: { field: 'collectedTo-day' },
  sharingLevel: { message: 'Select who may see the comments' },
  retentionUntil: { field: 'retentionUntil-day' },
  profile: { message: 'Select a file layout from the list' },
  columnMap: { message: 'Column map must be 5000 characters or fewer' },
  valueMap: { message: 'Value map must be 20000 characters or fewer' },
  dateOrder: { message: 'Select how dates are written in the file' },
  sampleDescription: { message: 'Who took part must be 2000 characters or fewer' },
  lawfulBasis: { message: 'Lawful basis or consent must be 2000 characters or fewer' },
};

/** The page's words for the date rules (batchDateProblems), against the control they are about. */
const DATE_WORDING: Record<BatchDateProblem['rule'], (p: BatchDateProblem) => FieldError> = {
  not_a_date: (p) => ({ field: CONTROL_OF_FIELD[p.field], message: p.message }),
  order: () => ({
    field: 'collectedTo-day',
    message: 'End of collection must be the same as or after the start',
  }),
  past: () => ({ field: 'retentionUntil-day', message: 'Delete after must be in the future' }),
};

/**
 * Reads the upload form and checks it through the API's CreateBatchDto and date rules, worded for
 * people and naming the control. The page's own checks are only of its controls: a date typed
 * as day, month and year, and an organisation chosen from the list it offers.
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
  const organisation = mayChooseOrganisation ? values.organisation : '';
  if (organisation && !organisations.has(organisation))
    problems.push({ field: 'organisation', message: 'Select an organisation from the list' });
  const from = readDate(values.collectedFrom, 'Start of collection');
  const to = readDate(values.collectedTo, 'End of collection');
  const retention = readDate(values.retentionUntil, 'Delete after');
  if (from.problem) problems.push({ field: 'collectedFrom-day', message: from.problem });
  if (to.problem) problems.push({ field: 'collectedTo-day', message: to.problem });
  if (retention.problem) problems.push({ field: 'retentionUntil-day', message: retention.problem });

  // Empty optional controls are left out, as an API client leaves out fields it has no value for.
  const given = (v: string | undefined): string | undefined => (v ? v : undefined);
  const fields: Record<string, string | undefined> = {
    organisation: given(organisation),
    sourceType: values.sourceType,
    title: values.title,
    collectionMethod: given(values.collectionMethod),
    collectedFrom: from.iso,
    collectedTo: to.iso,
    sharingLevel: values.sharingLevel,
    retentionUntil: retention.iso,
    profile: given(values.profile),
    columnMap: given(values.columnMap),
    valueMap: given(values.valueMap),
    dateOrder: values.dateOrder,
    sampleDescription: given(values.sampleDescription),
    lawfulBasis: given(values.lawfulBasis),
  };
  const plain = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  const checked = validateForm(CreateBatchDto, plain, UPLOAD_WORDING);
  problems.push(
    ...checked.problems.filter((p) => !problems.some((q) => q.field === p.field)),
    ...batchDateProblems(checked.value, today).map((p) => DATE_WORDING[p.rule](p)),
  );
  if (problems.length) return { values, problems: sorted(problems) };
  return { values, dto: checked.value, problems };
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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The form's model: choices for every control, values, problems. The multipart body is read
   * after the access check, so the form's CSRF token travels in its address.
   */
  async model(
    actor: Actor,
    csrfToken: string,
    values: Partial<UploadValues> = {},
    problems: FieldError[] = [],
  ): Promise<Record<string, unknown>> {
    const uploader = actor.principal;
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
      action: `/upload?_csrf=${encodeURIComponent(csrfToken)}`,
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
   * happens); a file refused by the form is discarded here. The service audits the upload, as it
   * does for the API.
   */
  async submit(
    actor: Actor,
    body: unknown,
    file: UploadedFile | undefined,
    fileProblem: string | undefined,
  ): Promise<UploadOutcome> {
    const uploader = actor.principal;
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
      const result = await this.batches.create(dto, file, actor);
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
