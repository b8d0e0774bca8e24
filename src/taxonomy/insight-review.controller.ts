import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { auditActor, principalOf } from '../access/request-context';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { scopeForRequest } from '../search/scope';
import { SearchService } from '../search/search.service';
import {
  ReviewTagDto,
  SetSentimentDto,
  type ReviewedInsightView,
  type TagEventView,
} from './dto/review.dto';
import { InsightReviewService } from './insight-review.service';

const uuid = new ParseUUIDPipe({
  exceptionFactory: () => new DomainError('not_found', 'Insight was not found (ids are UUIDs)'),
});

@ApiTags('insights')
@Controller('api/v1/insights')
export class InsightReviewController {
  constructor(
    private readonly review: InsightReviewService,
    private readonly search: SearchService,
    private readonly audit: AuditService,
  ) {}

  /** Reviewers act only on insight they can see; anything else is 404, as if it did not exist. */
  private async visible(id: string, req: Request): Promise<void> {
    await this.search.get(id, scopeForRequest(req));
  }

  @Post(':id/tags')
  @RequirePermission('insights.review')
  @ApiOperation({ summary: 'Accept, reject or add a theme on an insight' })
  @ApiResponse({ status: 201, description: 'The insight’s themes after the change' })
  @ApiResponse({ status: 409, description: 'Accepting a theme the insight does not carry' })
  async tag(
    @Param('id', uuid) id: string,
    @Body() dto: ReviewTagDto,
    @Req() req: Request,
  ): Promise<ReviewedInsightView> {
    await this.visible(id, req);
    const view = await this.review.reviewTag(id, dto.action, dto.theme, principalOf(req).label);
    await this.audit.record(auditActor(req), {
      action: 'insights.tag_edit',
      targetType: 'insight',
      targetId: id,
      details: { action: dto.action, theme: dto.theme },
    });
    return view;
  }

  @Patch(':id/sentiment')
  @RequirePermission('insights.review')
  @ApiOperation({ summary: 'Correct an insight’s sentiment' })
  async sentiment(
    @Param('id', uuid) id: string,
    @Body() dto: SetSentimentDto,
    @Req() req: Request,
  ): Promise<ReviewedInsightView> {
    await this.visible(id, req);
    const view = await this.review.setSentiment(id, dto.sentiment, principalOf(req).label);
    await this.audit.record(auditActor(req), {
      action: 'insights.sentiment_edit',
      targetType: 'insight',
      targetId: id,
      details: { sentiment: dto.sentiment },
    });
    return view;
  }

  @Get(':id/tag-events')
  @RequirePermission('insights.review')
  @ApiOperation({ summary: 'Every review of this insight’s tags and sentiment, oldest first' })
  async events(@Param('id', uuid) id: string, @Req() req: Request): Promise<TagEventView[]> {
    await this.visible(id, req);
    return this.review.events(id);
  }
}
