import { Body, Controller, Delete, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({ summary: 'The taxonomy as a tree (inactive themes included, marked)' })
  tree(): Promise<TaxonomyTree> {
    return this.taxonomy.tree();
  }

  @Get(':code')
  @ApiOperation({ summary: 'One theme with its direct sub-themes' })
  @ApiResponse({ status: 404, description: 'No such theme' })
  get(@Param('code') code: string): Promise<ThemeNode> {
    return this.taxonomy.get(code);
  }

  @Post()
  @ApiOperation({ summary: 'Add a theme; insights are re-tagged in the background' })
  @ApiResponse({ status: 400, description: 'Invalid fields, unknown parent or a cycle' })
  @ApiResponse({ status: 409, description: 'The code is taken' })
  create(@Body() dto: CreateThemeDto): Promise<ThemeView> {
    return this.taxonomy.create(dto);
  }

  @Patch(':code')
  @ApiOperation({ summary: 'Change a theme; insights are re-tagged in the background' })
  @ApiResponse({ status: 400, description: 'Invalid fields, unknown parent or a cycle' })
  update(@Param('code') code: string, @Body() dto: UpdateThemeDto): Promise<ThemeView> {
    return this.taxonomy.update(code, dto);
  }

  @Delete(':code')
  @ApiOperation({ summary: 'Deactivate a theme (kept for history)' })
  @ApiResponse({ status: 409, description: 'The theme has active sub-themes' })
  deactivate(@Param('code') code: string): Promise<ThemeView> {
    return this.taxonomy.deactivate(code);
  }
}
