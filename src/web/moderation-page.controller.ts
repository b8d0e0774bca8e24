import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentActor, type Actor } from '../access/actor';
import { uuidParam } from '../common/uuid-param';
import { parsePageNumber } from '../common/paging';
import {
  ClearSafeguardingDto,
  CorrectTextDto,
  REASON_MAX_LENGTH,
  ReviewDecisionDto,
} from '../moderation/dto/moderation.dto';
import { ModerationService } from '../moderation/moderation.service';
import { field, formProblem, validateForm, type FieldError } from './forms';
import { decisionOf, ModerationPageService, reviewPath } from './moderation-page.service';
import { redactionText } from './moderation-view';
import { page, setFlash } from './page';
import { urlWith, type QueryString } from './search-view';
import { WebExceptionFilter } from './web-exception.filter';

const batchUuid = uuidParam('Batch was not found');
const itemUuid = uuidParam('Item was not found');

/** The list position a form on the review page came from, to go back to it. */
function listState(body: unknown): QueryString {
  const flag = field(body, 'flag');
  const p = parsePageNumber(field(body, 'page'));
  return { ...(flag ? { flag } : {}), ...(p ? { page: String(p) } : {}) };
}

function backTo(batchId: string, body: unknown, anchor?: string): string {
  const state = listState(body);
  const path = reviewPath(
    batchId,
    typeof state.flag === 'string' ? state.flag : 'all',
    Number(state.page ?? 1),
  );
  return anchor ? `${path}#${anchor}` : path;
}

/** The moderation pages: every one needs the same permission, so the class carries it. */
@ApiExcludeController()
@Controller('moderation')
@RequirePermission('moderation.manage')
@UseFilters(WebExceptionFilter)
export class ModerationPageController {
  constructor(
    private readonly moderationPage: ModerationPageService,
    private readonly moderation: ModerationService,
  ) {}

  @Get()
  async queue(
    @Req() req: Request,
    @Res() res: Response,
    @Query() query: QueryString,
  ): Promise<void> {
    res.render('moderation', page(req, 'Moderation', await this.moderationPage.queue(query)));
  }

  @Get('safeguarding')
  async safeguarding(
    @Req() req: Request,
    @Res() res: Response,
    @Query() query: QueryString,
  ): Promise<void> {
    res.render(
      'safeguarding',
      page(req, 'Safeguarding flags', await this.moderationPage.safeguarding(query)),
    );
  }

  /** A moderator clears a flag once the concern is dealt with; a reason is required. */
  @Post('safeguarding/:id/clear')
  async clearSafeguarding(
    @Param('id', itemUuid) id: string,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: unknown,
  ): Promise<void> {
    const control = `reason-${id}`;
    const reason = field(body, 'reason');
    const state = listState(body);
    const listPage = typeof state.page === 'string' ? state.page : undefined;
    const query: QueryString = listPage ? { page: listPage } : {};
    let [problem = null] = validateForm(
      ClearSafeguardingDto,
      { reason },
      {
        reason: {
          field: control,
          message: `The reason must be at most ${REASON_MAX_LENGTH} characters`,
        },
      },
    ).problems;
    // Required here for the page's wording; the service refuses a blank reason from either path.
    if (reason.trim() === '')
      problem = { field: control, message: 'Say how the concern was dealt with' };
    if (!problem) {
      try {
        await this.moderation.clearSafeguarding(id, reason, actor);
        setFlash(req, {
          kind: 'success',
          title: 'Safeguarding flag cleared',
          text: 'The comment is back at its batch’s sharing level. Your reason is in the audit log.',
        });
        return res.redirect(303, urlWith('/moderation/safeguarding', {}, { page: listPage }));
      } catch (e) {
        problem = formProblem(e, control);
        if (!problem) throw e;
      }
    }
    res
      .status(400)
      .render(
        'safeguarding',
        page(
          req,
          'Safeguarding flags',
          await this.moderationPage.safeguarding(query, [problem], { [control]: reason }),
        ),
      );
  }

  @Get('batches/:id')
  async review(
    @Param('id', batchUuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
    @Query() query: QueryString,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.renderReview(actor, req, res, id, query, 200);
  }

  /** Approve or reject the whole batch: every item still pending takes the decision. */
  @Post('batches/:id/decision')
  async decideBatch(
    @Param('id', batchUuid) id: string,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: unknown,
  ): Promise<void> {
    const decision = decisionOf(field(body, 'decision'));
    const reason = field(body, 'reason').trim();
    const problems: FieldError[] = [];
    if (!decision)
      problems.push({ field: 'reason', message: 'Choose to approve or reject the batch' });
    problems.push(
      ...validateForm(
        ReviewDecisionDto,
        { reason },
        { reason: { message: `Reason must be ${REASON_MAX_LENGTH} characters or fewer` } },
      ).problems,
    );
    if (decision && !problems.length) {
      try {
        const { itemsChanged } = await this.moderation.decideBatch(
          id,
          decision,
          actor,
          reason || undefined,
        );
        const items = `${itemsChanged.toLocaleString('en-GB')} ${itemsChanged === 1 ? 'item' : 'items'}`;
        setFlash(req, {
          kind: 'success',
          title: decision === 'approve' ? 'Batch approved' : 'Batch rejected',
          text:
            decision === 'approve'
              ? `${items} approved: the comments are shared at their sharing level.`
              : `${items} rejected: the comments stay within their organisation.`,
        });
        return res.redirect(303, '/moderation');
      } catch (e) {
        const problem = formProblem(e, 'reason');
        if (!problem) throw e;
        problems.push(problem);
      }
    }
    await this.renderReview(actor, req, res, id, listState(body), 400, problems, { reason });
  }

  @Post('batches/:batchId/items/:id/decision')
  async decideItem(
    @Param('batchId', batchUuid) batchId: string,
    @Param('id', itemUuid) id: string,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: unknown,
  ): Promise<void> {
    const decision = decisionOf(field(body, 'decision'));
    if (!decision)
      return this.renderReview(actor, req, res, batchId, listState(body), 400, [
        { field: `item-${id}`, message: 'Choose to approve or reject the item' },
      ]);
    const view = await this.moderation.decideInsight(id, decision, actor);
    setFlash(req, {
      kind: 'success',
      text:
        decision === 'approve'
          ? 'Item approved'
          : 'Item rejected: it stays within its organisation',
    });
    res.redirect(303, backTo(view.batchId, body, `item-${id}`));
  }

  /** The moderator's text is de-identified again before it is stored (see ModerationService). */
  @Post('batches/:batchId/items/:id/text')
  async correctText(
    @Param('batchId', batchUuid) batchId: string,
    @Param('id', itemUuid) id: string,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: unknown,
  ): Promise<void> {
    const text = field(body, 'text');
    const control = `text-${id}`;
    const problems = validateForm(
      CorrectTextDto,
      { text },
      { text: { field: control, empty: 'Enter the corrected comment' } },
    ).problems;
    // A comment of spaces only is empty too, as the service would find after de-identifying it.
    if (!problems.length && text.trim() === '')
      problems.push({ field: control, message: 'Enter the corrected comment' });
    if (!problems.length) {
      try {
        const { item, removed } = await this.moderation.correctText(id, text, actor);
        const again = redactionText(removed);
        setFlash(req, {
          kind: 'success',
          title: 'Correction saved',
          text: again
            ? `Personal details were removed from the correction again: ${again}.`
            : 'The comment was checked for personal details again before it was saved.',
        });
        return res.redirect(303, backTo(item.batchId, body, `item-${id}`));
      } catch (e) {
        const problem = formProblem(e, control);
        if (!problem) throw e;
        problems.push(problem);
      }
    }
    // The rejected text is not shown again: it may hold the identifiers the check looks for.
    await this.renderReview(actor, req, res, batchId, listState(body), 400, problems);
  }

  private async renderReview(
    actor: Actor,
    req: Request,
    res: Response,
    batchId: string,
    query: QueryString,
    status: number,
    problems: FieldError[] = [],
    values: Record<string, string> = {},
  ): Promise<void> {
    const model = await this.moderationPage.review(actor, batchId, query, problems, values);
    const title = (model.batch as { title: string }).title;
    res.status(status).render('moderation-batch', page(req, `Review: ${title}`, model));
  }
}
