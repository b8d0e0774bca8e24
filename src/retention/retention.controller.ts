import { Body, Controller, Delete, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../access/access.decorators';
import { CurrentActor, type Actor } from '../access/actor';
import { uuidParam } from '../common/uuid-param';
import { DeleteBatchDto, DeletedBatchDto } from './dto/delete-batch.dto';
import { RetentionService, type DeletedBatch } from './retention.service';

const uuid = uuidParam('Batch was not found (ids are UUIDs)');

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
    @CurrentActor() actor: Actor,
  ): Promise<DeletedBatch> {
    return this.retention.deleteBatch(id, actor, dto.reason);
  }
}
