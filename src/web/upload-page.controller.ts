import {
  Body,
  type CallHandler,
  Controller,
  type ExecutionContext,
  Get,
  HttpException,
  Inject,
  Injectable,
  type NestInterceptor,
  Optional,
  Post,
  Req,
  Res,
  UploadedFile,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor, type MulterModuleOptions } from '@nestjs/platform-express';
import { MULTER_MODULE_OPTIONS } from '@nestjs/platform-express/multer/files.constants';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { RequirePermission } from '../access/access.decorators';
import { CurrentActor, type Actor } from '../access/actor';
import { csrf } from '../access/csrf';
import type { UploadedFile as StoredUpload } from '../batches/batches.service';
import { FileStore } from '../batches/file-store';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { page, setFlash } from './page';
import { formatBytes, UploadPageService } from './upload-page.service';
import { WebExceptionFilter } from './web-exception.filter';

const FILE_PROBLEM = Symbol('uploadFileProblem');
type WithFileProblem = Request & { [FILE_PROBLEM]?: string };

/**
 * The API's file handling (same folder and limits), but a file multer refuses (too large, two
 * files) becomes a problem on the form rather than an error page, so the person can fix it.
 */
@Injectable()
export class UploadFormInterceptor extends FileInterceptor('file') implements NestInterceptor {
  constructor(
    @Optional() @Inject(MULTER_MODULE_OPTIONS) options: MulterModuleOptions | undefined,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly files: FileStore,
  ) {
    super(options);
  }

  override async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await (super.intercept(ctx, next) as Promise<Observable<unknown>>);
    } catch (e) {
      if (!(e instanceof HttpException)) throw e;
      const req = ctx.switchToHttp().getRequest<WithFileProblem & { file?: StoredUpload }>();
      // A file stored before the refusal (the first of two) is not this upload's.
      if (typeof req.file?.path === 'string') await this.files.discard(req.file.path);
      delete req.file;
      req[FILE_PROBLEM] =
        e.getStatus() === 413
          ? `The file must be smaller than ${formatBytes(this.config.UPLOAD_MAX_BYTES)}`
          : 'Select one file to upload';
      return next.handle();
    }
  }
}

@ApiExcludeController()
@Controller('upload')
@UseFilters(WebExceptionFilter)
export class UploadPageController {
  constructor(private readonly uploads: UploadPageService) {}

  @Get()
  @RequirePermission('batches.create')
  async form(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const model = await this.uploads.model(actor, uploadToken(req));
    res.render('upload', page(req, 'Upload feedback', model));
  }

  /** The same upload as `POST /api/v1/batches`, then the batch's page (POST-redirect-GET). */
  @Post()
  @RequirePermission('batches.create')
  @UseInterceptors(UploadFormInterceptor)
  async upload(
    @CurrentActor() actor: Actor,
    @Req() req: WithFileProblem,
    @Res() res: Response,
    @Body() body: unknown,
    @UploadedFile() file: StoredUpload | undefined,
  ): Promise<void> {
    const outcome = await this.uploads.submit(actor, body, file, req[FILE_PROBLEM]);
    if ('done' in outcome) {
      const { batchId, existing, message, awaitingReview } = outcome.done;
      // The banner says what happened, not "is being processed": it stays on the page after
      // processing ends, while the progress section below follows the processing.
      const uploaded = awaitingReview
        ? 'The file was uploaded. Its comments are seen outside your organisation once a moderator approves the batch.'
        : 'The file was uploaded.';
      setFlash(
        req,
        existing
          ? { kind: 'important', title: 'Already uploaded', text: message }
          : { kind: 'success', title: 'File uploaded', text: uploaded },
      );
      return res.redirect(303, `/batches/${batchId}`);
    }
    res
      .status(400)
      .render(
        'upload',
        page(
          req,
          'Upload feedback',
          await this.uploads.model(actor, uploadToken(req), outcome.values, outcome.problems),
        ),
      );
  }
}

/** The session's CSRF token, for the form's address (anonymous callers never reach the form). */
function uploadToken(req: Request): string {
  return req.principal?.kind === 'user' && req.session ? csrf.generateToken(req) : '';
}
