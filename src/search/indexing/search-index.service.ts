import { Injectable, Logger } from '@nestjs/common';
import {
  INSIGHTS_INDEX,
  INSIGHTS_PRIMARY_KEY,
  INSIGHTS_SETTINGS,
  settingsDiff,
} from '../../../search-config/insights.index';
import { IndexGateway } from '../index-gateway';

export interface ApplyResult {
  index: string;
  created: boolean;
  changed: string[];
}

/** The insights index as code: created with its settings before any document goes in. */
@Injectable()
export class SearchIndexService {
  private readonly logger = new Logger(SearchIndexService.name);
  private ready?: Promise<ApplyResult>;

  constructor(private readonly gateway: IndexGateway) {}

  get uid(): string {
    return this.gateway.indexUid(INSIGHTS_INDEX);
  }

  /** Once per process: make sure the index exists with the wanted settings. */
  ensureReady(): Promise<ApplyResult> {
    this.ready ??= this.apply(this.uid).catch((e: unknown) => {
      this.ready = undefined;
      throw e;
    });
    return this.ready;
  }

  /** Creates the index if needed, then changes settings only where the live ones differ. */
  async apply(uid: string): Promise<ApplyResult> {
    let created = false;
    if (!(await this.gateway.exists(uid))) {
      await this.gateway.create(uid, INSIGHTS_PRIMARY_KEY);
      created = true;
    }
    const live = await this.gateway.settings(uid);
    const diff = settingsDiff(live, INSIGHTS_SETTINGS);
    if (diff.length) {
      const patch = Object.fromEntries(
        diff.map((d) => [d.setting, (INSIGHTS_SETTINGS as Record<string, unknown>)[d.setting]]),
      );
      await this.gateway.updateSettings(uid, patch);
      this.logger.log(`Index ${uid}: settings changed (${diff.map((d) => d.setting).join(', ')})`);
    }
    return { index: uid, created, changed: diff.map((d) => d.setting) };
  }
}
