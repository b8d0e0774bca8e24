import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Theme } from '../enrichment/tagging/taxonomy';
import { TaxonomyVersion } from './taxonomy-version.entity';
import { ThemeRow } from './theme.entity';

/** Advisory lock key that serialises taxonomy edits and seeding across processes. */
const TAXONOMY_LOCK = 7_310_001;

@Injectable()
export class ThemesRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Runs `work` holding the taxonomy lock, so version numbers and validation never race. */
  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [TAXONOMY_LOCK]);
      return work(em);
    });
  }

  all(em?: EntityManager): Promise<ThemeRow[]> {
    return (em ?? this.ds.manager).getRepository(ThemeRow).find({ order: { code: 'ASC' } });
  }

  findByCode(code: string, em?: EntityManager): Promise<ThemeRow | null> {
    return (em ?? this.ds.manager).getRepository(ThemeRow).findOne({ where: { code } });
  }

  async save(em: EntityManager, theme: Partial<ThemeRow> & { code: string }): Promise<void> {
    await em.getRepository(ThemeRow).save(theme);
  }

  async currentVersion(em?: EntityManager): Promise<number> {
    const [row] = await (em ?? this.ds.manager).query<Array<{ v: number | null }>>(
      'SELECT max(version)::int AS v FROM taxonomy_version',
    );
    return row?.v ?? 0;
  }

  async bumpVersion(em: EntityManager, summary: string): Promise<number> {
    const next = (await this.currentVersion(em)) + 1;
    await em.getRepository(TaxonomyVersion).insert({ version: next, summary });
    return next;
  }

  /** Inserts the given themes when the table is empty; returns how many were inserted. */
  async seedIfEmpty(themes: readonly Theme[], summary: string): Promise<number> {
    return this.transaction(async (em) => {
      const [{ n }] = await em.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM theme');
      if (n > 0) return 0;
      const version = await this.bumpVersion(em, summary);
      await em.getRepository(ThemeRow).insert(
        themes.map((t) => ({
          code: t.code,
          name: t.name,
          parentCode: t.parentCode,
          kind: t.kind,
          description: t.description,
          lexicon: t.lexicon,
          active: true,
          version,
        })),
      );
      return themes.length;
    });
  }
}
