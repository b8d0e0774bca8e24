import {
  Body,
  Controller,
  Get,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Readable } from 'node:stream';
import type { Response } from 'express';
import { PublicRoute, RequirePermission } from '../access/access.decorators';
import { CurrentActor, type Actor } from '../access/actor';
import { templateCsv, templateXlsx } from '../../ingestion';
import {
  BatchesService,
  type CreateBatchResult,
  type UploadedFile as StoredUpload,
} from './batches.service';
import { CreateBatchDto, ListBatchesQueryDto, TemplateQueryDto } from './dto/create-batch.dto';
import type { BatchView } from './dto/batch-view';
import { uuidParam } from '../common/uuid-param';

const uuid = uuidParam('Batch was not found (ids are UUIDs)');

@ApiTags('batches')
@Controller('api/v1/batches')
export class BatchesController {
  constructor(private readonly batches: BatchesService) {}

  @Post()
  @RequirePermission('batches.create')
  @UseInterceptors(FileInterceptor('file'))
  @ApiOperation({
    summary: 'Upload a batch of feedback (CSV, XLSX, JSON or NDJSON); processed in the background',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'sourceType', 'title'],
      properties: { file: { type: 'string', format: 'binary' } },
    },
  })
  @ApiResponse({ status: 202, description: 'Accepted: { id, status, links }' })
  @ApiResponse({
    status: 200,
    description: 'The same file was uploaded before by this organisation: the existing batch',
  })
  @ApiResponse({ status: 413, description: 'The file is over the upload limit' })
  async create(
    @Body() dto: CreateBatchDto,
    @UploadedFile() file: StoredUpload | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CreateBatchResult> {
    const result = await this.batches.create(dto, file, actor);
    res.status(result.existing ? 200 : 202);
    return result;
  }

  @Get('template')
  @PublicRoute()
  @ApiOperation({ summary: 'The generic upload template with two synthetic example rows' })
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async template(@Query() q: TemplateQueryDto): Promise<StreamableFile> {
    if (q.format === 'xlsx') {
      return new StreamableFile(await templateXlsx(), {
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        disposition: 'attachment; filename="insight-bank-template.xlsx"',
      });
    }
    return new StreamableFile(Buffer.from(templateCsv(), 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: 'attachment; filename="insight-bank-template.csv"',
    });
  }

  @Get()
  @RequirePermission('batches.read')
  @ApiOperation({
    summary:
      'Batches, newest first, filtered by organisation, status, source type or review status',
  })
  list(@Query() q: ListBatchesQueryDto, @CurrentActor() actor: Actor) {
    return this.batches.list(
      {
        organisation: q.organisation,
        status: q.status,
        sourceType: q.sourceType,
        reviewStatus: q.reviewStatus,
        page: q.page ? Number(q.page) : 1,
        pageSize: q.pageSize ? Number(q.pageSize) : 20,
      },
      actor.scope,
    );
  }

  @Get(':id')
  @RequirePermission('batches.read')
  @ApiOperation({
    summary:
      'Status, counts { received, accepted, updated, rejected, duplicates, indexed }, progress, timings and errors',
  })
  get(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<BatchView> {
    return this.batches.get(id, actor.scope);
  }

  @Get(':id/rejections')
  @RequirePermission('batches.read')
  @ApiOperation({
    summary:
      'CSV of every row not stored as a new comment (rejected, duplicate, or updated: a correction): row number, reason code, field and message',
  })
  @ApiProduces('text/csv')
  async rejections(
    @Param('id', uuid) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<StreamableFile> {
    const lines = this.batches.rejectionsCsv(id, actor.scope);
    const first = await lines.next(); // a missing batch fails here, before any body is sent
    async function* all() {
      if (!first.done) yield first.value;
      yield* lines;
    }
    return new StreamableFile(Readable.from(all()), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="batch-${id}-rejections.csv"`,
    });
  }
}
