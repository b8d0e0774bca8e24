import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainError } from '../common/domain-error';
import {
  ReviewTagDto,
  SetSentimentDto,
  type ReviewedInsightView,
  type TagEventView,
} from './dto/review.dto';
import { actorFrom, InsightReviewService } from './insight-review.service';

const uuid = new ParseUUIDPipe({
  exceptionFactory: () => new DomainError('not_found', 'Insight was not found (ids are UUIDs)'),
});
const USER_HEADER = 'x-insight-bank-user';

@ApiTags('insights')
@ApiHeader({ name: USER_HEADER, required: false, description: 'who is reviewing' })
@Controller('api/v1/insights')
export class InsightReviewController {
  constructor(private readonly review: InsightReviewService) {}

  @Post(':id/tags')
  @ApiOperation({ summary: 'Accept, reject or add a theme on an insight' })
  @ApiResponse({ status: 201, description: 'The insight’s themes after the change' })
  @ApiResponse({ status: 409, description: 'Accepting a theme the insight does not carry' })
  tag(
    @Param('id', uuid) id: string,
    @Body() dto: ReviewTagDto,
    @Headers(USER_HEADER) user?: string,
  ): Promise<ReviewedInsightView> {
    return this.review.reviewTag(id, dto.action, dto.theme, actorFrom(user));
  }

  @Patch(':id/sentiment')
  @ApiOperation({ summary: 'Correct an insight’s sentiment' })
  sentiment(
    @Param('id', uuid) id: string,
    @Body() dto: SetSentimentDto,
    @Headers(USER_HEADER) user?: string,
  ): Promise<ReviewedInsightView> {
    return this.review.setSentiment(id, dto.sentiment, actorFrom(user));
  }

  @Get(':id/tag-events')
  @ApiOperation({ summary: 'Every review of this insight’s tags and sentiment, oldest first' })
  events(@Param('id', uuid) id: string): Promise<TagEventView[]> {
    return this.review.events(id);
  }
}
