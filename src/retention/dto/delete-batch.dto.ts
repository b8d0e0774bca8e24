import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Optional JSON body of DELETE /api/v1/batches/:id. */
export class DeleteBatchDto {
  @ApiPropertyOptional({
    description:
      'Why the batch is deleted, for the audit log (never quote feedback here); default "Deleted on request"',
    example: 'Uploaded with the wrong sharing level',
  })
  @IsOptional()
  @IsString({ message: 'reason must be text' })
  @MaxLength(500, { message: 'reason must be at most 500 characters' })
  reason?: string;
}

export class DeletedBatchDto {
  @ApiPropertyOptional()
  id!: string;

  @ApiPropertyOptional({ enum: ['deleted'] })
  status!: 'deleted';

  @ApiPropertyOptional({
    description: 'Insights deleted by this request (0 if it was deleted already)',
  })
  insightsDeleted!: number;
}
