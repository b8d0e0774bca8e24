import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../access/access.decorators';
import { CurrentActor, type Actor } from '../access/actor';
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
import { ModerationService } from './moderation.service';
import { uuidParam } from '../common/uuid-param';

const batchId = uuidParam('Batch was not found (ids are UUIDs)');
const insightId = uuidParam('Insight was not found (ids are UUIDs)');

function paging(q: ModerationPageQueryDto): [number, number] {
  return [q.page ? Number(q.page) : 1, q.pageSize ? Number(q.pageSize) : 20];
}

@ApiTags('moderation')
@Controller('api/v1/moderation')
export class ModerationController {
  constructor(private readonly moderation: ModerationService) {}

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
    @CurrentActor() actor: Actor,
  ): Promise<BatchDecisionView> {
    return this.moderation.decideBatch(id, 'approve', actor, dto.reason);
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
    @CurrentActor() actor: Actor,
  ): Promise<BatchDecisionView> {
    return this.moderation.decideBatch(id, 'reject', actor, dto.reason);
  }

  @Post('insights/:id/approve')
  @HttpCode(200)
  @RequirePermission('moderation.manage')
  @ApiOperation({ summary: 'Approve one item' })
  approveInsight(
    @Param('id', insightId) id: string,
    @Body() dto: ReviewDecisionDto,
    @CurrentActor() actor: Actor,
  ): Promise<InsightDecisionView> {
    return this.moderation.decideInsight(id, 'approve', actor, dto.reason);
  }

  @Post('insights/:id/reject')
  @HttpCode(200)
  @RequirePermission('moderation.manage')
  @ApiOperation({ summary: 'Reject one item: it stays hidden outside its organisation' })
  rejectInsight(
    @Param('id', insightId) id: string,
    @Body() dto: ReviewDecisionDto,
    @CurrentActor() actor: Actor,
  ): Promise<InsightDecisionView> {
    return this.moderation.decideInsight(id, 'reject', actor, dto.reason);
  }

  @Patch('insights/:id/text')
  @RequirePermission('moderation.manage')
  @ApiOperation({
    summary: 'Correct an item’s redaction; the new text is de-identified again before it is stored',
  })
  async correctText(
    @Param('id', insightId) id: string,
    @Body() dto: CorrectTextDto,
    @CurrentActor() actor: Actor,
  ): Promise<ModerationItemView> {
    return (await this.moderation.correctText(id, dto.text, actor)).item;
  }

  @Post('insights/:id/safeguarding/clear')
  @HttpCode(200)
  @RequirePermission('moderation.manage')
  @ApiOperation({
    summary:
      'Clear an item’s safeguarding flag once the concern is dealt with: it returns to its batch’s sharing level',
  })
  @ApiResponse({ status: 409, description: 'The item has no safeguarding flag' })
  clearSafeguarding(
    @Param('id', insightId) id: string,
    @Body() dto: ClearSafeguardingDto,
    @CurrentActor() actor: Actor,
  ): Promise<ModerationItemView> {
    return this.moderation.clearSafeguarding(id, dto.reason, actor);
  }

  @Get('safeguarding')
  @RequirePermission('moderation.manage')
  @ApiOperation({ summary: 'Items flagged by the safeguarding screen, newest first' })
  safeguarding(@Query() q: ModerationPageQueryDto): Promise<Page<SafeguardingItemView>> {
    return this.moderation.safeguardingItems(...paging(q));
  }
}
