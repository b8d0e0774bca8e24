import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { InsightTheme, Sentiment } from '../insights/insight.entity';
import { rejectedThemeCodes } from '../insights/insights.repository';
import { TagEvent, type TagAction } from './tag-event.entity';

export interface TaggableInsight {
  id: string;
  text: string;
  question: string | null;
  themes: InsightTheme[];
}

export interface ReviewedInsight {
  text: string;
  question: string | null;
  themeCodes: string[];
}

export interface NewTagEvent {
  insightId: string;
  actor: string;
  action: TagAction;
  themeCode: string | null;
  before: unknown;
  after: unknown;
}

const FIRST_UUID = '00000000-0000-0000-0000-000000000000';

function codesLiteral(themes: InsightTheme[]): string {
  return `{${themes.map((t) => `"${t.code.replace(/["\\]/g, '')}"`).join(',')}}`;
}

/** Reads and rewrites insights' themes and sentiment; every write also queues the search document. */
@Injectable()
export class InsightTagsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Runs `work` in one transaction: the insights it locks stay locked until their rewrite commits. */
  transaction<T>(work: (tx: InsightTagsTransaction) => Promise<T>): Promise<T> {
    return this.ds.transaction((em) => work(new InsightTagsTransaction(em)));
  }

  async exists(id: string): Promise<boolean> {
    const rows = await this.ds.query<unknown[]>('SELECT 1 FROM insight WHERE id = $1', [id]);
    return rows.length > 0;
  }

  eventsFor(insightId: string): Promise<TagEvent[]> {
    return this.ds
      .getRepository(TagEvent)
      .find({ where: { insightId }, order: { at: 'ASC', id: 'ASC' } });
  }

  /** Keyset page of insights by id, for re-tagging without OFFSET scans. */
  page(afterId: string | undefined, limit: number): Promise<TaggableInsight[]> {
    return this.ds.query<TaggableInsight[]>(
      `SELECT id, text, question, themes FROM insight WHERE id > $1 ORDER BY id LIMIT $2`,
      [afterId ?? FIRST_UUID, limit],
    );
  }

  /** When a person last accepted, rejected or added a theme (sentiment corrections aside). */
  async latestThemeReviewAt(): Promise<Date | undefined> {
    const [row] = await this.ds.query<Array<{ at: Date | null }>>(
      `SELECT max(at) AS at FROM tag_event WHERE action IN ('accept', 'reject', 'add')`,
    );
    return row?.at ?? undefined;
  }

  /** Insights a person has reviewed at least once, with the theme codes they now carry. */
  async reviewed(): Promise<ReviewedInsight[]> {
    const rows = await this.ds.query<
      Array<{ text: string; question: string | null; theme_codes: string[] }>
    >(
      `SELECT i.text, i.question, i.theme_codes FROM insight i
        WHERE EXISTS (SELECT 1 FROM tag_event e WHERE e.insight_id = i.id AND e.action <> 'correction')
        ORDER BY i.id`,
    );
    return rows.map((r) => ({ text: r.text, question: r.question, themeCodes: r.theme_codes }));
  }
}

/**
 * A review's or a re-tag's reads and writes inside its transaction: the insights it locks, their
 * new themes or sentiment, the tag events and the search documents queued commit together.
 */
export class InsightTagsTransaction {
  constructor(private readonly em: EntityManager) {}

  /** Locks one insight for the rest of the transaction; undefined when there is none. */
  async lock(
    id: string,
  ): Promise<{ themes: InsightTheme[]; sentiment: Sentiment | null } | undefined> {
    const [row] = await this.em.query<
      Array<{ themes: InsightTheme[]; sentiment: Sentiment | null }>
    >('SELECT themes, sentiment FROM insight WHERE id = $1 FOR UPDATE', [id]);
    return row;
  }

  /** Locks the given insights for a rewrite and returns their current themes. */
  async lockThemes(ids: string[]): Promise<Map<string, InsightTheme[]>> {
    const rows = await this.em.query<Array<{ id: string; themes: InsightTheme[] }>>(
      'SELECT id, themes FROM insight WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.themes]));
  }

  /** Theme codes a person rejected and did not later accept or add back, per insight. */
  rejectedCodes(ids: string[]): Promise<Map<string, Set<string>>> {
    return rejectedThemeCodes(this.em, ids);
  }

  async setThemes(id: string, themes: InsightTheme[]): Promise<void> {
    await this.em.query(
      'UPDATE insight SET themes = $2::jsonb, theme_codes = $3::text[], updated_at = now() WHERE id = $1',
      [id, JSON.stringify(themes), codesLiteral(themes)],
    );
  }

  async setSentiment(id: string, sentiment: Sentiment): Promise<void> {
    await this.em.query('UPDATE insight SET sentiment = $2, updated_at = now() WHERE id = $1', [
      id,
      sentiment,
    ]);
  }

  /** Rewrites many insights' themes with one statement (array parameters, any page size). */
  async setThemesMany(rows: Array<{ id: string; themes: InsightTheme[] }>): Promise<void> {
    if (!rows.length) return;
    await this.em.query(
      `UPDATE insight i SET themes = u.themes::jsonb, theme_codes = u.codes::text[], updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS u(id, themes, codes)
        WHERE i.id = u.id`,
      [
        rows.map((r) => r.id),
        rows.map((r) => JSON.stringify(r.themes)),
        rows.map((r) => codesLiteral(r.themes)),
      ],
    );
  }

  async queueForIndexing(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.em.query(
      `INSERT INTO index_outbox (insight_id, batch_id, operation)
       SELECT id, batch_id, 'upsert' FROM insight WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  async addEvent(e: NewTagEvent): Promise<void> {
    await this.em.getRepository(TagEvent).insert({
      insightId: e.insightId,
      actor: e.actor,
      action: e.action,
      themeCode: e.themeCode,
      before: e.before as object,
      after: e.after as object,
    });
  }
}
