import { Injectable } from '@nestjs/common';
import { actorCan, type Actor } from '../access/actor';
import { DomainError } from '../common/domain-error';
import type { ThemeKind } from '../enrichment/tagging/taxonomy';
import {
  CreateThemeDto,
  PHRASE_MAX_LENGTH,
  PHRASES_MAX,
  THEME_KINDS,
  UpdateThemeDto,
  type ThemeNode,
} from '../taxonomy/dto/theme.dto';
import { TaxonomyService } from '../taxonomy/taxonomy.service';
import {
  field,
  formErrors,
  isFormRefusal,
  validateForm,
  type FieldError,
  type FieldWording,
} from './forms';
import { label } from './labels';

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

/** The wording of a phrase list's refusal (the DTO's limits: phrase length, number of phrases). */
function phrasesWording(what: string, control: string): FieldWording {
  return {
    field: control,
    message: (value, constraint) => {
      if (constraint === 'arrayMaxSize') return `${what}: enter at most ${PHRASES_MAX} phrases`;
      const lines = Array.isArray(value) ? (value as string[]) : [];
      const long = lines.findIndex((l) => l.length > PHRASE_MAX_LENGTH);
      return `${what}: each phrase must be ${PHRASE_MAX_LENGTH} characters or fewer (phrase ${long + 1} is longer)`;
    },
  };
}

/** The page's words for the theme DTOs' refusals, by property. */
const THEME_WORDING: Record<string, FieldWording> = {
  code: {
    empty: 'Enter a code',
    message:
      'Code must start with a lower-case letter and use only lower-case letters, numbers and underscores (up to 64)',
  },
  name: { empty: 'Enter a name', message: 'Name must be 200 characters or fewer' },
  parentCode: { message: 'Select a parent theme from the list' },
  kind: { message: 'Select the kind of theme' },
  description: { message: 'Description must be 2000 characters or fewer' },
  'lexicon.phrases': phrasesWording('Phrases', 'phrases'),
  'lexicon.exclude': phrasesWording('Phrases that rule it out', 'exclude'),
};

/**
 * The theme form as typed, checked by the API's theme DTOs (a new theme: CreateThemeDto; an edit:
 * UpdateThemeDto), with problems worded for people and naming the control.
 */
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
  const phrases = phraseLines(values.phrases);
  const exclude = phraseLines(values.exclude);
  const common = {
    name: values.name,
    description: values.description,
    lexicon: { phrases, exclude },
  };
  const { problems } = isNew
    ? validateForm(
        CreateThemeDto,
        {
          code: values.code,
          ...common,
          parentCode: values.parentCode || null,
          kind: values.kind,
        },
        THEME_WORDING,
      )
    : validateForm(UpdateThemeDto, common, THEME_WORDING);
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

/** The taxonomy pages, through the same service as the API (which audits every change). */
@Injectable()
export class TaxonomyPageService {
  constructor(private readonly taxonomy: TaxonomyService) {}

  async tree(actor: Actor): Promise<Record<string, unknown>> {
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
      canManage: actorCan(actor, 'taxonomy.manage'),
    };
  }

  async theme(
    actor: Actor,
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
      canManage: actorCan(actor, 'taxonomy.manage'),
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
    actor: Actor,
    code: string,
    body: unknown,
  ): Promise<{ saved: string | null } | { values: ThemeFormValues; problems: FieldError[] }> {
    const form = readThemeForm(body, false);
    if (form.problems.length) return { values: form.values, problems: form.problems };
    const current = await this.taxonomy.get(code);
    const dto = changedFields(current, form);
    if (Object.keys(dto).length === 0) return { saved: null };
    try {
      const theme = await this.taxonomy.update(code, dto, actor);
      return { saved: theme.name };
    } catch (e) {
      if (!isFormRefusal(e)) throw e;
      return { values: form.values, problems: [problemOf(e, false)] };
    }
  }

  async create(
    actor: Actor,
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
      const theme = await this.taxonomy.create(dto, actor);
      return { code: theme.code, name: theme.name };
    } catch (e) {
      if (!isFormRefusal(e)) throw e;
      return { values: form.values, problems: [problemOf(e, true)] };
    }
  }
}
