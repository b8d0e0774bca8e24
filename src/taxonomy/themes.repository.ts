import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { themeOf, type Theme } from '../enrichment/tagging/taxonomy';
import { TaxonomyVersion } from './taxonomy-version.entity';
import { ThemeRow } from './theme.entity';

/** Advisory lock key that serialises taxonomy edits and seeding across processes. */
const TAXONOMY_LOCK = 7_310_001;

@Injectable()
export class ThemesRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Runs `work` holding the taxonomy lock, so version numbers and validation never race. */
  transaction<T>(work: (tx: ThemesTransaction) => Promise<T>): Promise<T> {
    return this.locked((em) => work(new ThemesTransaction(em)));
  }

  all(): Promise<ThemeRow[]> {
    return allThemes(this.ds.manager);
  }

  currentVersion(): Promise<number> {
    return currentVersion(this.ds.manager);
  }

  /** Inserts the given themes when the table is empty; returns how many were inserted. */
  async seedIfEmpty(themes: readonly Theme[], summary: string): Promise<number> {
    return this.locked(async (em) => {
      const [{ n }] = await em.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM theme');
      if (n > 0) return 0;
      const version = await bumpVersion(em, summary);
      await em
        .getRepository(ThemeRow)
        .insert(themes.map((t) => ({ ...themeOf(t), active: true, version })));
      return themes.length;
    });
  }

  private locked<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [TAXONOMY_LOCK]);
      return work(em);
    });
  }
}

/** A taxonomy edit's reads and writes, under the taxonomy lock: the tree, the theme, the version. */
export class ThemesTransaction {
  constructor(private readonly em: EntityManager) {}

  all(): Promise<ThemeRow[]> {
    return allThemes(this.em);
  }

  findByCode(code: string): Promise<ThemeRow | null> {
    return this.em.getRepository(ThemeRow).findOne({ where: { code } });
  }

  async save(theme: Partial<ThemeRow> & { code: string }): Promise<void> {
    await this.em.getRepository(ThemeRow).save(theme);
  }

  /** Records a new taxonomy version and returns its number. */
  bumpVersion(summary: string): Promise<number> {
    return bumpVersion(this.em, summary);
  }
}

function allThemes(em: EntityManager): Promise<ThemeRow[]> {
  return em.getRepository(ThemeRow).find({ order: { code: 'ASC' } });
}

async function currentVersion(em: EntityManager): Promise<number> {
  const [row] = await em.query<Array<{ v: number | null }>>(
    'SELECT max(version)::int AS v FROM taxonomy_version',
  );
  return row?.v ?? 0;
}

async function bumpVersion(em: EntityManager, summary: string): Promise<number> {
  const next = (await currentVersion(em)) + 1;
  await em.getRepository(TaxonomyVersion).insert({ version: next, summary });
  return next;
}
