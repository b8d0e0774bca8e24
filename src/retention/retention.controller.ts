import { Body, Controller, Delete, Param, ParseUUIDPipe, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { auditActor } from '../access/request-context';
import { DomainError } from '../common/domain-error';
import { DeleteBatchDto, DeletedBatchDto } from './dto/delete-batch.dto';
import { RetentionService, type DeletedBatch } from './retention.service';

const uuid = new ParseUUIDPipe({
  exceptionFactory: () => new DomainError('not_found', 'Batch was not found (ids are UUIDs)'),
});

@ApiTags('batches')
@Controller('api/v1/batches')
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  @Delete(':id')
  @RequirePermission('batches.delete')
  @ApiOperation({
    summary:
      'Delete a batch now: its insights leave PostgreSQL and the search index, its file and rejected rows go; a tombstone keeps its record',
  })
  @ApiOkResponse({ type: DeletedBatchDto })
  @ApiResponse({
    status: 403,
    description:
      "A partner's batch that has been approved (a moderator must delete it), or another organisation's",
  })
  @ApiResponse({ status: 404, description: 'No such batch, or one the caller cannot see' })
  remove(
    @Param('id', uuid) id: string,
    @Body() dto: DeleteBatchDto,
    @Req() req: Request,
  ): Promise<DeletedBatch> {
    return this.retention.deleteBatch(id, auditActor(req), dto.reason);
  }
}
