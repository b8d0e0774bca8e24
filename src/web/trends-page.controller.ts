import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentActor, type Actor } from '../access/actor';
import { page } from './page';
import type { QueryString } from './search-view';
import { TrendsPageService } from './trends-page.service';
import { WebExceptionFilter } from './web-exception.filter';

@ApiExcludeController()
@Controller('trends')
@UseFilters(WebExceptionFilter)
export class TrendsPageController {
  constructor(private readonly trendsPage: TrendsPageService) {}

  /** Filters live in the address (a GET form); the table is the content, the chart an extra. */
  @Get()
  @RequirePermission('insights.read')
  async trends(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Query() query: QueryString,
  ): Promise<void> {
    const { status, model } = await this.trendsPage.page(actor, query);
    res.status(status).render('trends', page(req, 'Trends', model));
  }
}
