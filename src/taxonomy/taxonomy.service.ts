import { Injectable } from '@nestjs/common';
import type { Actor } from '../access/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError, invalidInput, notFound } from '../common/domain-error';
import { TaggingService } from '../enrichment/tagging/tagging.service';
import { loadTaxonomy, themeOf, TaxonomyValidationError } from '../enrichment/tagging/taxonomy';
import type {
  CreateThemeDto,
  TaxonomyTree,
  ThemeNode,
  ThemeView,
  UpdateThemeDto,
} from './dto/theme.dto';
import { RetagService } from './retag.service';
import type { ThemeRow } from './theme.entity';
import { ThemesRepository } from './themes.repository';

export function toThemeView(t: ThemeRow): ThemeView {
  return {
    ...themeOf(t),
    active: t.active,
    version: t.version,
    updatedAt: t.updatedAt.toISOString(),
  };
}

/**
 * The editable taxonomy. Every change is validated against the whole tree (unknown parents,
 * cycles, kinds), bumps the taxonomy version, queues a background re-tag of the insights, and
 * is audited as `taxonomy.change`, whether it came from the API or the taxonomy pages.
 */
@Injectable()
export class TaxonomyService {
  constructor(
    private readonly themes: ThemesRepository,
    private readonly tagging: TaggingService,
    private readonly retag: RetagService,
    private readonly audit: AuditService,
  ) {}

  async tree(): Promise<TaxonomyTree> {
    const [rows, version] = await Promise.all([this.themes.all(), this.themes.currentVersion()]);
    const nodes = new Map<string, ThemeNode>(
      rows.map((r) => [r.code, { ...toThemeView(r), children: [] }]),
    );
    const roots: ThemeNode[] = [];
    for (const n of nodes.values()) {
      const parent = n.parentCode === null ? undefined : nodes.get(n.parentCode);
      (parent ? parent.children : roots).push(n);
    }
    return { version, themes: roots };
  }

  async get(code: string): Promise<ThemeNode> {
    const rows = await this.themes.all();
    const theme = rows.find((r) => r.code === code);
    if (!theme) throw notFound('Theme', code);
    return {
      ...toThemeView(theme),
      children: rows
        .filter((r) => r.parentCode === code)
        .map((r) => ({ ...toThemeView(r), children: [] })),
    };
  }

  async create(dto: CreateThemeDto, actor: Actor): Promise<ThemeView> {
    const theme = await this.change(`created ${dto.code}`, (rows) => {
      if (rows.some((r) => r.code === dto.code))
        throw new DomainError('conflict', `Theme ${dto.code} already exists`);
      return {
        code: dto.code,
        name: dto.name.trim(),
        parentCode: dto.parentCode ?? null,
        kind: dto.kind,
        description: dto.description ?? '',
        lexicon: dto.lexicon ?? { phrases: [] },
        active: true,
      };
    });
    await this.recordChange(actor, theme, { change: 'create' });
    return theme;
  }

  async update(code: string, dto: UpdateThemeDto, actor: Actor): Promise<ThemeView> {
    const theme = await this.applyUpdate(code, dto);
    await this.recordChange(actor, theme, { change: 'update', fields: Object.keys(dto) });
    return theme;
  }

  /** Deactivates, never deletes: tags and review history keep pointing at a known theme. */
  async deactivate(code: string, actor: Actor): Promise<ThemeView> {
    const theme = await this.applyUpdate(code, { active: false });
    await this.recordChange(actor, theme, { change: 'deactivate' });
    return theme;
  }

  private recordChange(actor: Actor, theme: ThemeView, details: Record<string, unknown>) {
    return this.audit.record(actor, {
      action: 'taxonomy.change',
      targetType: 'theme',
      targetId: theme.code,
      details,
    });
  }

  private applyUpdate(code: string, dto: UpdateThemeDto): Promise<ThemeView> {
    return this.change(`changed ${code}`, (rows) => {
      const theme = rows.find((r) => r.code === code);
      if (!theme) throw notFound('Theme', code);
      if (dto.active === false) this.refuseWithActiveChildren(rows, code);
      return {
        code,
        ...(dto.name !== undefined ? { name: dto.name.trim() } : {}),
        ...(dto.description !== undefined ? { description: dto.description } : {}),
        ...(dto.lexicon !== undefined ? { lexicon: dto.lexicon } : {}),
        ...(dto.parentCode !== undefined ? { parentCode: dto.parentCode } : {}),
        ...(dto.active !== undefined ? { active: dto.active } : {}),
      };
    });
  }

  private refuseWithActiveChildren(rows: ThemeRow[], code: string): void {
    const children = rows.filter((r) => r.parentCode === code && r.active).map((r) => r.code);
    if (children.length)
      throw new DomainError(
        'conflict',
        `Theme ${code} has active sub-themes (${children.join(', ')}); deactivate or move them first`,
        { children },
      );
  }

  private async change(
    summary: string,
    edit: (rows: ThemeRow[]) => Partial<ThemeRow> & { code: string },
  ): Promise<ThemeView> {
    const { view, version } = await this.themes.transaction(async (tx) => {
      const rows = await tx.all();
      const patch = edit(rows);
      const existing = rows.find((r) => r.code === patch.code);
      const merged = { ...(existing ?? {}), ...patch } as ThemeRow;
      const candidate = [...rows.filter((r) => r.code !== patch.code), merged];
      validate(candidate);
      const next = await tx.bumpVersion(summary);
      await tx.save({ ...patch, version: next });
      const saved = await tx.findByCode(patch.code);
      return { view: toThemeView(saved!), version: next };
    });
    await this.tagging.refresh();
    await this.retag.enqueue(version);
    return view;
  }
}

/** The whole tree must stay loadable, and an active theme needs an active parent. */
function validate(rows: ThemeRow[]): void {
  const problems: string[] = [];
  try {
    loadTaxonomy({
      version: 'candidate',
      themes: rows.map((r) => ({
        code: r.code,
        name: r.name,
        parentCode: r.parentCode,
        kind: r.kind,
        description: r.description,
        lexicon: r.lexicon,
      })),
    });
  } catch (e) {
    if (!(e instanceof TaxonomyValidationError)) throw e;
    problems.push(...e.problems);
  }
  const byCode = new Map(rows.map((r) => [r.code, r]));
  for (const r of rows) {
    const parent = r.parentCode === null ? undefined : byCode.get(r.parentCode);
    if (r.active && parent && !parent.active)
      problems.push(`theme "${r.code}": parent "${parent.code}" is deactivated`);
  }
  if (problems.length)
    throw invalidInput(`The taxonomy change is not valid: ${problems.join('; ')}`, { problems });
}
