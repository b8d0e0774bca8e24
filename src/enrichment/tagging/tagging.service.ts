import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { InsightTheme } from '../../insights/insight.entity';
import { TaggerModelsRepository } from '../../taxonomy/tagger-models.repository';
import { ThemesRepository } from '../../taxonomy/themes.repository';
import { TextClassifier } from './model/text-classifier';
import { RuleTagger } from './rules/rule-tagger';
import { loadDefaultTaxonomy, loadTaxonomy, themeOf, type Taxonomy } from './taxonomy';

/** How stale a process's view of the taxonomy and model may get before it checks PostgreSQL. */
const REFRESH_INTERVAL_MS = 5_000;

export interface ActiveModel {
  id: string;
  name: string;
  version: number;
  classifier: TextClassifier;
  crosswalk: ReadonlyMap<string, readonly string[]>;
}

/** What tagging uses right now: the active taxonomy (version from PostgreSQL) and model, if any. */
export interface TaggerSnapshot {
  taxonomyVersion: number;
  taxonomy: Taxonomy;
  rules: RuleTagger;
  model?: ActiveModel;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/**
 * The tagging engine as the running bank sees it. The active taxonomy and the most recently
 * activated model are loaded from PostgreSQL and cached; every few seconds a cheap version check
 * decides whether to reload, so every api and worker process follows an edit or a retrain without
 * a restart. The process that made a change calls `refresh()` and sees it at once.
 */
@Injectable()
export class TaggingService implements OnModuleInit {
  private readonly logger = new Logger(TaggingService.name);
  private snapshot: TaggerSnapshot;
  private modelKey: string | undefined;
  private lastCheck = 0;
  private inFlight?: Promise<TaggerSnapshot>;

  constructor(
    private readonly themes: ThemesRepository,
    private readonly models: TaggerModelsRepository,
  ) {
    const taxonomy = loadDefaultTaxonomy();
    this.snapshot = { taxonomyVersion: 0, taxonomy, rules: new RuleTagger(taxonomy) };
  }

  async onModuleInit(): Promise<void> {
    await this.ensureSeeded();
    await this.refresh();
  }

  /** Fills an empty theme table from the shipped default taxonomy; harmless to call again. */
  async ensureSeeded(): Promise<number> {
    const def = loadDefaultTaxonomy();
    const n = await this.themes.seedIfEmpty(
      def.themes,
      `seeded from the default taxonomy ${def.version}`,
    );
    if (n) this.logger.log(`Seeded ${n} themes from the default taxonomy`);
    return n;
  }

  /** The cached snapshot; starts a background version check when it is due. */
  current(): TaggerSnapshot {
    if (Date.now() - this.lastCheck > REFRESH_INTERVAL_MS && !this.inFlight) {
      this.refresh().catch((e: unknown) =>
        this.logger.warn(`Could not refresh the taxonomy or model (${(e as Error).name})`),
      );
    }
    return this.snapshot;
  }

  /**
   * A snapshot checked against PostgreSQL after this call began. Work that must use whatever is
   * active when it starts (an enrich chunk after `tagger:train` in another process) asks for this;
   * a check already under way may have read the old model, so it is waited for, not trusted.
   */
  async fresh(): Promise<TaggerSnapshot> {
    const earlier = this.inFlight;
    if (earlier) await earlier.catch(() => undefined);
    return this.refresh();
  }

  /** Reloads whatever changed since the last check and returns the fresh snapshot. */
  refresh(): Promise<TaggerSnapshot> {
    this.inFlight ??= this.reload().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** Rule tags over the active taxonomy, plus the active model's labels mapped to theme codes. */
  tag(text: string, question?: string | null): InsightTheme[] {
    const snap = this.current();
    const themes = this.ruleTags(snap, text, question);
    if (!snap.model) return themes;
    const seen = new Set(themes.map((t) => t.code));
    for (const p of snap.model.classifier.predict(text, question ?? undefined)) {
      for (const code of snap.model.crosswalk.get(p.label) ?? []) {
        if (seen.has(code) || !snap.taxonomy.byCode(code)) continue;
        seen.add(code);
        themes.push({ code, provenance: 'model', confidence: round3(p.confidence) });
      }
    }
    return themes;
  }

  ruleTags(snap: TaggerSnapshot, text: string, question?: string | null): InsightTheme[] {
    return snap.rules.tag(text, question ?? undefined).map((t) => ({
      code: t.code,
      provenance: t.provenance,
      confidence: round3(t.confidence),
    }));
  }

  private async reload(): Promise<TaggerSnapshot> {
    let [version, ref] = await Promise.all([this.themes.currentVersion(), this.models.activeRef()]);
    // An emptied theme table would silently stop all tagging; start again from the default.
    if (version === 0) {
      await this.ensureSeeded();
      [version, ref] = await Promise.all([this.themes.currentVersion(), this.models.activeRef()]);
    }
    this.lastCheck = Date.now();
    const key = ref ? `${ref.id}@${ref.activatedAt.toISOString()}` : undefined;
    let next = this.snapshot;
    if (version !== next.taxonomyVersion) {
      const rows = await this.themes.all();
      const taxonomy = loadTaxonomy({
        version: String(version),
        themes: rows.filter((r) => r.active).map(themeOf),
      });
      next = { ...next, taxonomyVersion: version, taxonomy, rules: new RuleTagger(taxonomy) };
    }
    if (key !== this.modelKey) {
      next = { ...next, model: ref ? await this.loadModel(ref.id) : undefined };
      this.modelKey = key;
    }
    this.snapshot = next;
    return next;
  }

  private async loadModel(id: string): Promise<ActiveModel | undefined> {
    const row = await this.models.findById(id);
    if (!row) return undefined;
    try {
      return {
        id: row.id,
        name: row.name,
        version: row.version,
        classifier: TextClassifier.fromJSON(row.model),
        crosswalk: new Map(Object.entries(row.crosswalk)),
      };
    } catch (e) {
      this.logger.warn(
        `Model ${row.name} v${row.version} cannot be used (${(e as Error).message}); tagging with rules only`,
      );
      return undefined;
    }
  }
}
