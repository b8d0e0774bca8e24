import { Body, Controller, Delete, Get, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { auditActor } from '../access/request-context';
import { AuditService } from '../audit/audit.service';
import {
  CreateThemeDto,
  UpdateThemeDto,
  type TaxonomyTree,
  type ThemeNode,
  type ThemeView,
} from './dto/theme.dto';
import { TaxonomyService } from './taxonomy.service';

@ApiTags('taxonomy')
@Controller('api/v1/taxonomy')
export class TaxonomyController {
  constructor(
    private readonly taxonomy: TaxonomyService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @RequirePermission('taxonomy.read')
  @ApiOperation({ summary: 'The taxonomy as a tree (inactive themes included, marked)' })
  tree(): Promise<TaxonomyTree> {
    return this.taxonomy.tree();
  }

  @Get(':code')
  @RequirePermission('taxonomy.read')
  @ApiOperation({ summary: 'One theme with its direct sub-themes' })
  @ApiResponse({ status: 404, description: 'No such theme' })
  get(@Param('code') code: string): Promise<ThemeNode> {
    return this.taxonomy.get(code);
  }

  @Post()
  @RequirePermission('taxonomy.manage')
  @ApiOperation({ summary: 'Add a theme; insights are re-tagged in the background' })
  @ApiResponse({ status: 400, description: 'Invalid fields, unknown parent or a cycle' })
  @ApiResponse({ status: 409, description: 'The code is taken' })
  async create(@Body() dto: CreateThemeDto, @Req() req: Request): Promise<ThemeView> {
    const theme = await this.taxonomy.create(dto);
    await this.audit.record(auditActor(req), {
      action: 'taxonomy.change',
      targetType: 'theme',
      targetId: theme.code,
      details: { change: 'create' },
    });
    return theme;
  }

  @Patch(':code')
  @RequirePermission('taxonomy.manage')
  @ApiOperation({ summary: 'Change a theme; insights are re-tagged in the background' })
  @ApiResponse({ status: 400, description: 'Invalid fields, unknown parent or a cycle' })
  async update(
    @Param('code') code: string,
    @Body() dto: UpdateThemeDto,
    @Req() req: Request,
  ): Promise<ThemeView> {
    const theme = await this.taxonomy.update(code, dto);
    await this.audit.record(auditActor(req), {
      action: 'taxonomy.change',
      targetType: 'theme',
      targetId: theme.code,
      details: { change: 'update', fields: Object.keys(dto) },
    });
    return theme;
  }

  @Delete(':code')
  @RequirePermission('taxonomy.manage')
  @ApiOperation({ summary: 'Deactivate a theme (kept for history)' })
  @ApiResponse({ status: 409, description: 'The theme has active sub-themes' })
  async deactivate(@Param('code') code: string, @Req() req: Request): Promise<ThemeView> {
    const theme = await this.taxonomy.deactivate(code);
    await this.audit.record(auditActor(req), {
      action: 'taxonomy.change',
      targetType: 'theme',
      targetId: theme.code,
      details: { change: 'deactivate' },
    });
    return theme;
  }
}
