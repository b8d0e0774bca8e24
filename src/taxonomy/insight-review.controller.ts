import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../access/access.decorators';
import { CurrentActor, type Actor } from '../access/actor';
import { uuidParam } from '../common/uuid-param';
import { SearchService } from '../search/search.service';
import {
  ReviewTagDto,
  SetSentimentDto,
  type ReviewedInsightView,
  type TagEventView,
} from './dto/review.dto';
import { InsightReviewService } from './insight-review.service';

const uuid = uuidParam('Insight was not found (ids are UUIDs)');

@ApiTags('insights')
@Controller('api/v1/insights')
export class InsightReviewController {
  constructor(
    private readonly review: InsightReviewService,
    private readonly search: SearchService,
  ) {}

  @Post(':id/tags')
  @RequirePermission('insights.review')
  @ApiOperation({ summary: 'Accept, reject or add a theme on an insight' })
  @ApiResponse({ status: 201, description: 'The insight’s themes after the change' })
  @ApiResponse({ status: 409, description: 'Accepting a theme the insight does not carry' })
  tag(
    @Param('id', uuid) id: string,
    @Body() dto: ReviewTagDto,
    @CurrentActor() actor: Actor,
  ): Promise<ReviewedInsightView> {
    return this.review.reviewTag(id, dto.action, dto.theme, actor);
  }

  @Patch(':id/sentiment')
  @RequirePermission('insights.review')
  @ApiOperation({ summary: 'Correct an insight’s sentiment' })
  sentiment(
    @Param('id', uuid) id: string,
    @Body() dto: SetSentimentDto,
    @CurrentActor() actor: Actor,
  ): Promise<ReviewedInsightView> {
    return this.review.setSentiment(id, dto.sentiment, actor);
  }

  @Get(':id/tag-events')
  @RequirePermission('insights.review')
  @ApiOperation({ summary: 'Every review of this insight’s tags and sentiment, oldest first' })
  async events(
    @Param('id', uuid) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<TagEventView[]> {
    await this.search.get(id, actor); // reviewers read only insight they can see
    return this.review.events(id);
  }
}
