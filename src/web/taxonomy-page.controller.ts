import { Body, Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentActor, type Actor } from '../access/actor';
import { page, setFlash } from './page';
import { TaxonomyPageService } from './taxonomy-page.service';
import { WebExceptionFilter } from './web-exception.filter';

const RETAG_NOTE = 'Comments are being tagged again in the background.';

/**
 * The taxonomy: the tree for everyone who may read it, editing for those who may change it.
 * `new-theme` cannot be a theme's code (codes have no hyphens), so it never hides a theme.
 */
@ApiExcludeController()
@Controller('taxonomy')
@UseFilters(WebExceptionFilter)
export class TaxonomyPageController {
  constructor(private readonly taxonomyPage: TaxonomyPageService) {}

  @Get()
  @RequirePermission('taxonomy.read')
  async tree(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    res.render('taxonomy', page(req, 'Themes', await this.taxonomyPage.tree(actor)));
  }

  @Get('new-theme')
  @RequirePermission('taxonomy.manage')
  async newTheme(@Req() req: Request, @Res() res: Response): Promise<void> {
    res.render('theme-new', page(req, 'Add a theme', await this.taxonomyPage.newTheme()));
  }

  @Post('new-theme')
  @RequirePermission('taxonomy.manage')
  async create(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: unknown,
  ): Promise<void> {
    const outcome = await this.taxonomyPage.create(actor, body);
    if ('code' in outcome) {
      setFlash(req, {
        kind: 'success',
        title: 'Theme added',
        text: `‘${outcome.name}’ was added. ${RETAG_NOTE}`,
      });
      return res.redirect(303, `/taxonomy/${outcome.code}`);
    }
    res
      .status(400)
      .render(
        'theme-new',
        page(
          req,
          'Add a theme',
          await this.taxonomyPage.newTheme(outcome.values, outcome.problems),
        ),
      );
  }

  @Get(':code')
  @RequirePermission('taxonomy.read')
  async theme(
    @Param('code') code: string,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const model = await this.taxonomyPage.theme(actor, code);
    res.render('theme', page(req, (model.theme as { name: string }).name, model));
  }

  @Post(':code')
  @RequirePermission('taxonomy.manage')
  async update(
    @Param('code') code: string,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: unknown,
  ): Promise<void> {
    const outcome = await this.taxonomyPage.update(actor, code, body);
    if ('saved' in outcome) {
      setFlash(
        req,
        outcome.saved === null
          ? { kind: 'important', title: 'Nothing changed', text: 'The theme is as it was.' }
          : {
              kind: 'success',
              title: 'Theme saved',
              text: `‘${outcome.saved}’ was saved. ${RETAG_NOTE}`,
            },
      );
      return res.redirect(303, `/taxonomy/${encodeURIComponent(code)}`);
    }
    const model = await this.taxonomyPage.theme(actor, code, outcome.values, outcome.problems);
    res.status(400).render('theme', page(req, (model.theme as { name: string }).name, model));
  }
}
