import { Body, Controller, Delete, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../access/access.decorators';
import { CurrentActor, type Actor } from '../access/actor';
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
  constructor(private readonly taxonomy: TaxonomyService) {}

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
  create(@Body() dto: CreateThemeDto, @CurrentActor() actor: Actor): Promise<ThemeView> {
    return this.taxonomy.create(dto, actor);
  }

  @Patch(':code')
  @RequirePermission('taxonomy.manage')
  @ApiOperation({ summary: 'Change a theme; insights are re-tagged in the background' })
  @ApiResponse({ status: 400, description: 'Invalid fields, unknown parent or a cycle' })
  update(
    @Param('code') code: string,
    @Body() dto: UpdateThemeDto,
    @CurrentActor() actor: Actor,
  ): Promise<ThemeView> {
    return this.taxonomy.update(code, dto, actor);
  }

  @Delete(':code')
  @RequirePermission('taxonomy.manage')
  @ApiOperation({ summary: 'Deactivate a theme (kept for history)' })
  @ApiResponse({ status: 409, description: 'The theme has active sub-themes' })
  deactivate(@Param('code') code: string, @CurrentActor() actor: Actor): Promise<ThemeView> {
    return this.taxonomy.deactivate(code, actor);
  }
}
