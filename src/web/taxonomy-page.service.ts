import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { can } from '../access/permissions';
import { auditActor, principalOf } from '../access/request-context';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import type { ThemeKind } from '../tagging/taxonomy';
import {
  THEME_KINDS,
  type CreateThemeDto,
  type ThemeNode,
  type UpdateThemeDto,
} from '../taxonomy/dto/theme.dto';
import { TaxonomyService } from '../taxonomy/taxonomy.service';
import { field, formErrors, type FieldError } from './forms';
import { label } from './labels';

const CODE = /^[a-z][a-z0-9_]{0,63}$/;
const PHRASE_MAX = 200;
const PHRASES_MAX = 2000;

export const KIND_TEXT: Record<ThemeKind, string> = {
  category: 'Category',
  sub_theme: 'Sub-theme (within a category)',
  strategy: 'Strategy',
  service_area: 'Service area',
};

/** What the theme form holds, as typed. */
export interface ThemeFormValues {
  code: string;
  name: string;
  parentCode: string;
  kind: string;
  description: string;
  phrases: string;
  exclude: string;
  active: boolean;
}

/** One phrase a line; blank lines dropped, repeats kept once. */
export function phraseLines(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== ''),
    ),
  ];
}

function checkPhrases(
  text: string,
  control: string,
  what: string,
  problems: FieldError[],
): string[] {
  const lines = phraseLines(text);
  const long = lines.findIndex((l) => l.length > PHRASE_MAX);
  if (long !== -1)
    problems.push({
      field: control,
      message: `${what}: each phrase must be ${PHRASE_MAX} characters or fewer (phrase ${long + 1} is longer)`,
    });
  if (lines.length > PHRASES_MAX)
    problems.push({ field: control, message: `${what}: enter at most ${PHRASES_MAX} phrases` });
  return lines;
}

/** The theme form as typed, and its problems worded for people, naming the control. */
export function readThemeForm(
  body: unknown,
  isNew: boolean,
): { values: ThemeFormValues; problems: FieldError[]; phrases: string[]; exclude: string[] } {
  const values: ThemeFormValues = {
    code: field(body, 'code').trim(),
    name: field(body, 'name').trim(),
    parentCode: field(body, 'parentCode').trim(),
    kind: field(body, 'kind').trim(),
    description: field(body, 'description').trim(),
    phrases: field(body, 'phrases'),
    exclude: field(body, 'exclude'),
    active: isNew || field(body, 'active') === 'yes',
  };
  const problems: FieldError[] = [];
  if (isNew) {
    if (values.code === '') problems.push({ field: 'code', message: 'Enter a code' });
    else if (!CODE.test(values.code))
      problems.push({
        field: 'code',
        message:
          'Code must start with a lower-case letter and use only lower-case letters, numbers and underscores (up to 64)',
      });
  }
  if (values.name === '') problems.push({ field: 'name', message: 'Enter a name' });
  else if (values.name.length > 200)
    problems.push({ field: 'name', message: 'Name must be 200 characters or fewer' });
  if (isNew) {
    if (values.parentCode && !CODE.test(values.parentCode))
      problems.push({ field: 'parentCode', message: 'Select a parent theme from the list' });
    if (!(THEME_KINDS as readonly string[]).includes(values.kind))
      problems.push({ field: 'kind', message: 'Select the kind of theme' });
  }
  if (values.description.length > 2000)
    problems.push({
      field: 'description',
      message: 'Description must be 2000 characters or fewer',
    });
  const phrases = checkPhrases(values.phrases, 'phrases', 'Phrases', problems);
  const exclude = checkPhrases(values.exclude, 'exclude', 'Phrases that rule it out', problems);
  return { values, problems, phrases, exclude };
}

/** The fields of an edit that differ from the theme as stored (only those are sent). */
export function changedFields(
  theme: ThemeNode,
  form: { values: ThemeFormValues; phrases: string[]; exclude: string[] },
): UpdateThemeDto {
  const dto: UpdateThemeDto = {};
  if (form.values.name !== theme.name) dto.name = form.values.name;
  if (form.values.description !== theme.description) dto.description = form.values.description;
  const same = (a: readonly string[], b: readonly string[]): boolean =>
    a.length === b.length && a.every((x, i) => x === b[i]);
  if (
    !same(form.phrases, theme.lexicon.phrases) ||
    !same(form.exclude, theme.lexicon.exclude ?? [])
  )
    dto.lexicon = {
      phrases: form.phrases,
      ...(form.exclude.length ? { exclude: form.exclude } : {}),
    };
  if (form.values.active !== theme.active) dto.active = form.values.active;
  return dto;
}

/** A refusal of the taxonomy service, against the control it is about. */
export function problemOf(e: DomainError, isNew: boolean): FieldError {
  const m = e.message;
  if (e.code === 'conflict') return { field: isNew ? 'code' : 'active', message: m };
  if (/lexicon|phrase/i.test(m)) return { field: 'phrases', message: m };
  if (isNew && /kind/.test(m) && !/parent/.test(m)) return { field: 'kind', message: m };
  if (/parent|cycle|sub_theme/.test(m))
    return { field: isNew ? 'parentCode' : 'active', message: m };
  return { field: 'name', message: m };
}

interface TreeItem {
  code: string;
  name: string;
  href: string;
  kind: string;
  active: boolean;
  phrases: number;
  children: TreeItem[];
}

function treeItem(n: ThemeNode): TreeItem {
  return {
    code: n.code,
    name: n.name,
    href: `/taxonomy/${n.code}`,
    kind: label(n.kind),
    active: n.active,
    phrases: n.lexicon.phrases.length,
    children: n.children
      .slice()
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(treeItem),
  };
}

function flatten(nodes: readonly ThemeNode[]): ThemeNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

/** The taxonomy pages, through the same service as the API and with the same audit rows. */
@Injectable()
export class TaxonomyPageService {
  constructor(
    private readonly taxonomy: TaxonomyService,
    private readonly audit: AuditService,
  ) {}

  async tree(req: Request): Promise<Record<string, unknown>> {
    const tree = await this.taxonomy.tree();
    const groups = (['category', 'strategy', 'service_area'] as const).map((kind) => ({
      kind,
      title: { category: 'Categories', strategy: 'Strategies', service_area: 'Service areas' }[
        kind
      ],
      items: tree.themes
        .filter((t) => t.kind === kind)
        .sort((a, b) => a.name.localeCompare(b.name))
        .map(treeItem),
    }));
    const others = tree.themes.filter(
      (t) => !['category', 'strategy', 'service_area'].includes(t.kind),
    );
    if (others.length)
      groups.push({ kind: 'category', title: 'Other themes', items: others.map(treeItem) });
    return {
      version: tree.version,
      groups: groups.filter((g) => g.items.length),
      canManage: can(principalOf(req).role, 'taxonomy.manage'),
    };
  }

  async theme(
    req: Request,
    code: string,
    values?: ThemeFormValues,
    problems: FieldError[] = [],
  ): Promise<Record<string, unknown>> {
    const theme = await this.taxonomy.get(code);
    const parent = theme.parentCode
      ? await this.taxonomy.get(theme.parentCode).catch(() => null)
      : null;
    return {
      theme: {
        code: theme.code,
        name: theme.name,
        kind: KIND_TEXT[theme.kind] ?? label(theme.kind),
        description: theme.description,
        phrases: theme.lexicon.phrases,
        exclude: theme.lexicon.exclude ?? [],
        active: theme.active,
        version: theme.version,
        parent: parent ? { name: parent.name, href: `/taxonomy/${parent.code}` } : null,
        children: theme.children.map((c) => ({
          name: c.name,
          href: `/taxonomy/${c.code}`,
          active: c.active,
        })),
      },
      values: values ?? {
        name: theme.name,
        description: theme.description,
        phrases: theme.lexicon.phrases.join('\n'),
        exclude: (theme.lexicon.exclude ?? []).join('\n'),
        active: theme.active,
      },
      canManage: can(principalOf(req).role, 'taxonomy.manage'),
      errors: formErrors(problems),
    };
  }

  /** The add-theme form: parents to choose from and the kinds. */
  async newTheme(
    values: Partial<ThemeFormValues> = {},
    problems: FieldError[] = [],
  ): Promise<Record<string, unknown>> {
    const all = flatten((await this.taxonomy.tree()).themes).filter((t) => t.active);
    return {
      values,
      parentItems: [
        { value: '', text: 'None: a top-level theme' },
        ...all
          .map((t) => ({ value: t.code, text: `${t.name} (${label(t.kind).toLowerCase()})` }))
          .sort((a, b) => a.text.localeCompare(b.text)),
      ].map((o) => ({ ...o, selected: o.value === (values.parentCode ?? '') })),
      kindItems: THEME_KINDS.map((k) => ({
        value: k,
        text: KIND_TEXT[k],
        checked: values.kind === k,
      })),
      errors: formErrors(problems),
    };
  }

  /** Saves an edit: only changed fields are sent, so an unchanged form re-tags nothing. */
  async update(
    req: Request,
    code: string,
    body: unknown,
  ): Promise<{ saved: string | null } | { values: ThemeFormValues; problems: FieldError[] }> {
    const form = readThemeForm(body, false);
    if (form.problems.length) return { values: form.values, problems: form.problems };
    const current = await this.taxonomy.get(code);
    const dto = changedFields(current, form);
    if (Object.keys(dto).length === 0) return { saved: null };
    try {
      const theme = await this.taxonomy.update(code, dto);
      await this.audit.record(auditActor(req), {
        action: 'taxonomy.change',
        targetType: 'theme',
        targetId: theme.code,
        details: { change: 'update', fields: Object.keys(dto) },
      });
      return { saved: theme.name };
    } catch (e) {
      if (!(e instanceof DomainError) || !['invalid_input', 'conflict'].includes(e.code)) throw e;
      return { values: form.values, problems: [problemOf(e, false)] };
    }
  }

  async create(
    req: Request,
    body: unknown,
  ): Promise<{ code: string; name: string } | { values: ThemeFormValues; problems: FieldError[] }> {
    const form = readThemeForm(body, true);
    if (form.problems.length) return { values: form.values, problems: form.problems };
    const dto: CreateThemeDto = {
      code: form.values.code,
      name: form.values.name,
      kind: form.values.kind as ThemeKind,
      parentCode: form.values.parentCode || null,
      description: form.values.description,
      lexicon: { phrases: form.phrases, ...(form.exclude.length ? { exclude: form.exclude } : {}) },
    };
    try {
      const theme = await this.taxonomy.create(dto);
      await this.audit.record(auditActor(req), {
        action: 'taxonomy.change',
        targetType: 'theme',
        targetId: theme.code,
        details: { change: 'create' },
      });
      return { code: theme.code, name: theme.name };
    } catch (e) {
      if (!(e instanceof DomainError) || !['invalid_input', 'conflict'].includes(e.code)) throw e;
      return { values: form.values, problems: [problemOf(e, true)] };
    }
  }
}
