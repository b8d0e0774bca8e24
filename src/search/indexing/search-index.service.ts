import { Injectable, Logger } from '@nestjs/common';
import {
  INSIGHTS_INDEX,
  INSIGHTS_PRIMARY_KEY,
  INSIGHTS_SETTINGS,
  settingsDiff,
} from '../../../search-config/insights.index';
import { isNotFound, waitForTask } from '../meili/meili-tasks';
import { MeiliService } from '../meili/meili.service';

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

  constructor(private readonly meili: MeiliService) {}

  get uid(): string {
    return this.meili.indexUid(INSIGHTS_INDEX);
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
    try {
      await this.meili.request('GET', `/indexes/${encodeURIComponent(uid)}`);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      await waitForTask(
        this.meili,
        await this.meili.request<{ taskUid: number }>('POST', '/indexes', {
          uid,
          primaryKey: INSIGHTS_PRIMARY_KEY,
        }),
      );
      created = true;
    }
    const live = await this.meili.request<Record<string, unknown>>(
      'GET',
      `/indexes/${encodeURIComponent(uid)}/settings`,
    );
    const diff = settingsDiff(live, INSIGHTS_SETTINGS);
    if (diff.length) {
      const patch = Object.fromEntries(
        diff.map((d) => [d.setting, (INSIGHTS_SETTINGS as Record<string, unknown>)[d.setting]]),
      );
      await waitForTask(
        this.meili,
        await this.meili.request<{ taskUid: number }>(
          'PATCH',
          `/indexes/${encodeURIComponent(uid)}/settings`,
          patch,
        ),
      );
      this.logger.log(`Index ${uid}: settings changed (${diff.map((d) => d.setting).join(', ')})`);
    }
    return { index: uid, created, changed: diff.map((d) => d.setting) };
  }
}
