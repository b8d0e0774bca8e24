import { Body, Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentActor, type Actor } from '../access/actor';
import { uuidParam } from '../common/uuid-param';
import { formErrors, formProblem, type FieldError } from './forms';
import { InsightPageService } from './insight-page.service';
import { page, setFlash } from './page';
import { WebExceptionFilter } from './web-exception.filter';

const uuid = uuidParam('Insight was not found');

@ApiExcludeController()
@Controller('insights')
@UseFilters(WebExceptionFilter)
export class InsightPageController {
  constructor(private readonly insights: InsightPageService) {}

  @Get(':id')
  @RequirePermission('insights.read')
  async show(
    @Param('id', uuid) id: string,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.render(actor, req, res, id, 200, []);
  }

  /** Accept, remove or add a theme, then back to the insight with a banner (POST-redirect-GET). */
  @Post(':id/tags')
  @RequirePermission('insights.review')
  async tag(
    @Param('id', uuid) id: string,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: unknown,
  ): Promise<void> {
    const { review, problems } = this.insights.parseReview(body);
    if (review) {
      try {
        setFlash(req, {
          kind: 'success',
          text: await this.insights.applyReview(actor, id, review),
        });
        return res.redirect(303, `/insights/${id}`);
      } catch (e) {
        const problem = formProblem(e, 'theme');
        if (!problem) throw e;
        problems.push(problem);
      }
    }
    await this.render(actor, req, res, id, 400, problems);
  }

  private async render(
    actor: Actor,
    req: Request,
    res: Response,
    id: string,
    status: number,
    problems: FieldError[],
  ): Promise<void> {
    const model = await this.insights.model(actor, id);
    res
      .status(status)
      .render('insight', page(req, 'Comment', { ...model, errors: formErrors(problems) }));
  }
}
