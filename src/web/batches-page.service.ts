import { Injectable } from '@nestjs/common';
import { actorCan, type Actor } from '../access/actor';
import { ICB_ROLES } from '../access/permissions';
import { BATCH_STATUSES, SOURCE_TYPES } from '../batches/batch.entity';
import { BatchesService } from '../batches/batches.service';
import { parsePageNumber } from '../common/paging';
import { OrganisationsService } from '../organisations/organisations.service';
import { formErrors, type FieldError } from './forms';
import { label, longDate } from './labels';
import { batchPageView, PHASE_TEXT, reviewTag, statusTag, TERMINAL } from './batches-view';
import { pagination, urlWith, type QueryString } from './search-view';

const PAGE_SIZE = 20;

function one(query: QueryString, name: string): string {
  const v = query[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s.trim() : '';
}

/** The batch list and a batch's page, within the caller's scope (a hidden batch is "not found"). */
@Injectable()
export class BatchesPageService {
  constructor(
    private readonly batches: BatchesService,
    private readonly organisations: OrganisationsService,
  ) {}

  async list(
    caller: Actor,
    query: QueryString,
  ): Promise<{ status: number; model: Record<string, unknown> }> {
    const byOrganisation = ICB_ROLES.includes(caller.role);
    const mayListDeleted = !!caller.scope.includeUnapproved;
    const values = {
      status: one(query, 'status'),
      sourceType: one(query, 'sourceType'),
      organisation: byOrganisation ? one(query, 'organisation') : '',
    };
    const pageNumber = parsePageNumber(query.page) ?? 1;
    const orgs = byOrganisation ? await this.organisations.list() : [];
    const statuses = BATCH_STATUSES.filter((s) => s !== 'deleted' || mayListDeleted);

    const problems: FieldError[] = [];
    if (values.status && !(statuses as readonly string[]).includes(values.status))
      problems.push({ field: 'status', message: 'Select a status from the list' });
    if (values.sourceType && !(SOURCE_TYPES as readonly string[]).includes(values.sourceType))
      problems.push({ field: 'sourceType', message: 'Select a source type from the list' });
    if (values.organisation && !orgs.some((o) => o.code === values.organisation))
      problems.push({ field: 'organisation', message: 'Select an organisation from the list' });

    const filters = {
      status: [
        { value: '', text: 'Any status' },
        ...statuses.map((s) => ({ value: s, text: PHASE_TEXT[s] ?? label(s) })),
      ].map((o) => ({ ...o, selected: o.value === values.status })),
      sourceType: [
        { value: '', text: 'Any source type' },
        ...SOURCE_TYPES.map((s) => ({ value: s, text: label(s) })),
      ].map((o) => ({ ...o, selected: o.value === values.sourceType })),
      organisation: byOrganisation
        ? [
            { value: '', text: 'Any organisation' },
            ...orgs
              .map((o) => ({ value: o.code, text: o.name }))
              .sort((a, b) => a.text.localeCompare(b.text)),
          ].map((o) => ({ ...o, selected: o.value === values.organisation }))
        : null,
    };
    const base = {
      filters,
      canUpload: actorCan(caller, 'batches.create'),
      filtered: Object.values(values).some((v) => v !== ''),
    };
    if (problems.length)
      return { status: 400, model: { ...base, errors: formErrors(problems), result: null } };

    const result = await this.batches.list(
      {
        status: values.status || undefined,
        sourceType: values.sourceType || undefined,
        organisation: values.organisation || undefined,
        page: pageNumber,
        pageSize: PAGE_SIZE,
      },
      caller.scope,
    );
    const kept: Record<string, string> = Object.fromEntries(
      Object.entries(values).filter(([, v]) => v !== ''),
    );
    const first = (pageNumber - 1) * PAGE_SIZE + 1;
    return {
      status: 200,
      model: {
        ...base,
        errors: null,
        result: {
          total: result.total,
          firstShown: first,
          lastShown: first + result.items.length - 1,
          rows: result.items.map((b) => ({
            href: `/batches/${b.id}`,
            title: b.title,
            organisation: b.organisation.name ?? b.organisation.code ?? '',
            sourceType: label(b.sourceType),
            uploaded: longDate(b.timings.createdAt.slice(0, 10)),
            status: statusTag(b.status),
            review: reviewTag(b.reviewStatus),
            accepted: b.counts.accepted,
          })),
          pagination: pagination(result.total, pageNumber, PAGE_SIZE, Infinity, (n) =>
            urlWith('/batches', kept, { page: n === 1 ? undefined : String(n) }),
          ),
        },
      },
    };
  }

  async detail(caller: Actor, id: string): Promise<Record<string, unknown>> {
    const batch = await this.batches.get(id, caller.scope);
    // Rejected rows are the uploader's working material (see BatchesService.rejectionsCsv).
    const mayReadRejections =
      !!caller.scope.includeUnapproved || batch.organisation.id === caller.scope.ownOrganisationId;
    return {
      batch: batchPageView(batch),
      statusUrl: `/api/v1/batches/${batch.id}`,
      rejectionsUrl: mayReadRejections ? `/api/v1/batches/${batch.id}/rejections` : null,
      // The progress script words statuses as the page does.
      phases: JSON.stringify(PHASE_TEXT),
      terminalStatuses: JSON.stringify(TERMINAL),
      reviewHref:
        actorCan(caller, 'moderation.manage') && batch.reviewStatus === 'awaiting_review'
          ? `/moderation/batches/${batch.id}`
          : null,
    };
  }
}
