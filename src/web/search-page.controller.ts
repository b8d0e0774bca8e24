import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentActor, type Actor } from '../access/actor';
import { page } from './page';
import { SearchPageService } from './search-page.service';
import type { QueryString } from './search-view';
import { WebExceptionFilter } from './web-exception.filter';

@ApiExcludeController()
@Controller('search')
@UseFilters(WebExceptionFilter)
export class SearchPageController {
  constructor(private readonly searchPage: SearchPageService) {}

  /** The whole search lives in the URL (a GET form), so it can be bookmarked and shared. */
  @Get()
  @RequirePermission('insights.read')
  async search(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Query() query: QueryString,
  ): Promise<void> {
    const { status, model } = await this.searchPage.page(actor, query);
    res.status(status).render('search', page(req, 'Search', model));
  }
}
