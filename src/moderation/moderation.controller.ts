import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { auditActor, principalOf } from '../access/request-context';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import {
  BatchItemsQueryDto,
  ClearSafeguardingDto,
  CorrectTextDto,
  ModerationPageQueryDto,
  ReviewDecisionDto,
  type BatchDecisionView,
  type InsightDecisionView,
  type ModerationBatchView,
  type ModerationItemView,
  type Page,
  type SafeguardingItemView,
} from './dto/moderation.dto';
import { ModerationService, type Decision } from './moderation.service';

const batchId = new ParseUUIDPipe({
  exceptionFactory: () => new DomainError('not_found', 'Batch was not found (ids are UUIDs)'),
});
const insightId = new ParseUUIDPipe({
  exceptionFactory: () => new DomainError('not_found', 'Insight was not found (ids are UUIDs)'),
});

function paging(q: ModerationPageQueryDto): [number, number] {
  return [q.page ? Number(q.page) : 1, q.pageSize ? Number(q.pageSize) : 20];
}

@ApiTags('moderation')
@Controller('api/v1/moderation')
export class ModerationController {
  constructor(
    private readonly moderation: ModerationService,
    private readonly audit: AuditService,
  ) {}

  @Get('batches')
  @RequirePermission('moderation.manage')
  @ApiOperation({
    summary:
      'Batches awaiting review, oldest first, with counts of pending, PII-flagged, needs-review and safeguarding items',
  })
  batches(@Query() q: ModerationPageQueryDto): Promise<Page<ModerationBatchView>> {
    return this.moderation.awaitingBatches(...paging(q));
  }

  @Get('batches/:id/items')
  @RequirePermission('moderation.manage')
  @ApiOperation({
    summary: 'A batch’s items in file order: redacted text, redaction counts, flags and status',
  })
  items(
    @Param('id', batchId) id: string,
    @Query() q: BatchItemsQueryDto,
  ): Promise<Page<ModerationItemView>> {
    return this.moderation.batchItems(id, q.flag ?? 'all', ...paging(q));
  }

  @Post('batches/:id/approve')
  @HttpCode(200)
  @RequirePermission('moderation.manage')
  @ApiOperation({
    summary: 'Approve a batch: its pending items become visible within sharing levels',
  })
  @ApiResponse({ status: 409, description: 'Already reviewed, or still being processed' })
  approveBatch(
    @Param('id', batchId) id: string,
    @Body() dto: ReviewDecisionDto,
    @Req() req: Request,
  ): Promise<BatchDecisionView> {
    return this.decideBatch(id, 'approve', dto, req);
  }

  @Post('batches/:id/reject')
  @HttpCode(200)
  @RequirePermission('moderation.manage')
  @ApiOperation({
    summary: 'Reject a batch: its pending items stay within the uploading organisation',
  })
  @ApiResponse({ status: 409, description: 'Already reviewed' })
  rejectBatch(
    @Param('id', batchId) id: string,
    @Body() dto: ReviewDecisionDto,
    @Req() req: Request,
  ): Promise<BatchDecisionView> {
    return this.decideBatch(id, 'reject', dto, req);
  }

  @Post('insights/:id/approve')
  @HttpCode(200)
  @RequirePermission('moderation.manage')
  @ApiOperation({ summary: 'Approve one item' })
  approveInsight(
    @Param('id', insightId) id: string,
    @Body() dto: ReviewDecisionDto,
    @Req() req: Request,
  ): Promise<InsightDecisionView> {
    return this.decideInsight(id, 'approve', dto, req);
  }

  @Post('insights/:id/reject')
  @HttpCode(200)
  @RequirePermission('moderation.manage')
  @ApiOperation({ summary: 'Reject one item: it stays hidden outside its organisation' })
  rejectInsight(
    @Param('id', insightId) id: string,
    @Body() dto: ReviewDecisionDto,
    @Req() req: Request,
  ): Promise<InsightDecisionView> {
    return this.decideInsight(id, 'reject', dto, req);
  }

  @Patch('insights/:id/text')
  @RequirePermission('moderation.manage')
  @ApiOperation({
    summary: 'Correct an item’s redaction; the new text is de-identified again before it is stored',
  })
  async correctText(
    @Param('id', insightId) id: string,
    @Body() dto: CorrectTextDto,
    @Req() req: Request,
  ): Promise<ModerationItemView> {
    const { item, before, removed } = await this.moderation.correctText(id, dto.text);
    // Counts only: neither the old nor the new text is written to the audit log.
    await this.audit.record(auditActor(req), {
      action: 'insights.redaction_edit',
      targetType: 'insight',
      targetId: id,
      details: {
        batchId: item.batchId,
        redactionBefore: before,
        redactionAfter: item.redaction,
        removedFromCorrection: removed,
        safeguarding: item.safeguarding,
      },
    });
    return item;
  }

  @Post('insights/:id/safeguarding/clear')
  @HttpCode(200)
  @RequirePermission('moderation.manage')
  @ApiOperation({
    summary:
      'Clear an item’s safeguarding flag once the concern is dealt with: it returns to its batch’s sharing level',
  })
  @ApiResponse({ status: 409, description: 'The item has no safeguarding flag' })
  async clearSafeguarding(
    @Param('id', insightId) id: string,
    @Body() dto: ClearSafeguardingDto,
    @Req() req: Request,
  ): Promise<ModerationItemView> {
    const { item, reason } = await this.moderation.clearSafeguarding(id, dto.reason);
    await this.audit.record(auditActor(req), {
      action: 'insight.safeguarding_clear',
      targetType: 'insight',
      targetId: id,
      details: { batchId: item.batchId, reason, sharingLevel: item.sharingLevel },
    });
    return item;
  }

  @Get('safeguarding')
  @RequirePermission('moderation.manage')
  @ApiOperation({ summary: 'Items flagged by the safeguarding screen, newest first' })
  safeguarding(@Query() q: ModerationPageQueryDto): Promise<Page<SafeguardingItemView>> {
    return this.moderation.safeguardingItems(...paging(q));
  }

  private async decideBatch(
    id: string,
    decision: Decision,
    dto: ReviewDecisionDto,
    req: Request,
  ): Promise<BatchDecisionView> {
    const { reason, ...view } = await this.moderation.decideBatch(
      id,
      decision,
      principalOf(req).label,
      dto.reason,
    );
    await this.audit.record(auditActor(req), {
      action: decision === 'approve' ? 'batch.approve' : 'batch.reject',
      targetType: 'batch',
      targetId: id,
      details: { itemsChanged: view.itemsChanged, ...(reason ? { reason } : {}) },
    });
    return view;
  }

  private async decideInsight(
    id: string,
    decision: Decision,
    dto: ReviewDecisionDto,
    req: Request,
  ): Promise<InsightDecisionView> {
    const { previous, reason, ...view } = await this.moderation.decideInsight(
      id,
      decision,
      dto.reason,
    );
    await this.audit.record(auditActor(req), {
      action: decision === 'approve' ? 'insight.approve' : 'insight.reject',
      targetType: 'insight',
      targetId: id,
      details: {
        batchId: view.batchId,
        from: previous,
        ...(reason ? { reason } : {}),
      },
    });
    return view;
  }
}
