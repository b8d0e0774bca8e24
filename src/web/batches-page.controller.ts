import { Controller, Get, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentActor, type Actor } from '../access/actor';
import { uuidParam } from '../common/uuid-param';
import { BatchesPageService } from './batches-page.service';
import { page } from './page';
import type { QueryString } from './search-view';
import { WebExceptionFilter } from './web-exception.filter';

const uuid = uuidParam('Batch was not found');

@ApiExcludeController()
@Controller('batches')
@UseFilters(WebExceptionFilter)
export class BatchesPageController {
  constructor(private readonly batchesPage: BatchesPageService) {}

  /** Filters live in the address (a GET form), so a filtered list can be bookmarked. */
  @Get()
  @RequirePermission('batches.read')
  async list(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Query() query: QueryString,
  ): Promise<void> {
    const { status, model } = await this.batchesPage.list(actor, query);
    res.status(status).render('batches', page(req, 'Batches', model));
  }

  /** Progress, counts and the result; scripts refresh it from `GET /api/v1/batches/:id`. */
  @Get(':id')
  @RequirePermission('batches.read')
  async show(
    @Param('id', uuid) id: string,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const model = await this.batchesPage.detail(actor, id);
    const title = (model.batch as { title: string }).title;
    res.render('batch', page(req, `Batch: ${title}`, model));
  }
}
