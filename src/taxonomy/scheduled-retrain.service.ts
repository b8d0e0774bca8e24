import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { JOB_NAMES, RETRAIN_JOB_OPTIONS } from '../queues/queue-names';
import { PipelineQueues } from '../queues/pipeline-queues';
import { InsightTagsRepository } from './insight-tags.repository';
import {
  RETRAIN_SCHEDULER_ID,
  decideRetrain,
  retrainSchedule,
  type RetrainPayload,
  type RetrainReport,
  type RetrainSchedule,
  type RetrainSkipReason,
} from './retrain-schedule';
import { NotEnoughReviewsError, TaggerTrainingService } from './tagger-training.service';
import { TaggerModelsRepository } from './tagger-models.repository';

/**
 * The optional retrain schedule (TAGGER_RETRAIN_MODEL, TAGGER_RETRAIN_INTERVAL_HOURS): a BullMQ
 * job scheduler on the maintenance queue, kept in step with the configuration by every worker at
 * start, and the job it produces, which retrains only when there is something new to learn.
 */
@Injectable()
export class ScheduledRetrainService {
  private readonly logger = new Logger(ScheduledRetrainService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: PipelineQueues,
    private readonly models: TaggerModelsRepository,
    private readonly insights: InsightTagsRepository,
    private readonly training: TaggerTrainingService,
  ) {}

  /**
   * Upserts the scheduler when the configuration names a model, removes it when not. Upserting an
   * unchanged schedule keeps its next run, so restarts do not bring runs forward; a new interval
   * starts again with a run at once.
   */
  async syncSchedule(): Promise<RetrainSchedule | undefined> {
    const schedule = retrainSchedule(this.config);
    if (!schedule) {
      if (await this.queues.unschedule(RETRAIN_SCHEDULER_ID))
        this.logger.log('Removed the tagger retrain schedule (TAGGER_RETRAIN_MODEL is empty)');
      return undefined;
    }
    const payload: RetrainPayload = { model: schedule.model };
    await this.queues.schedule({
      id: RETRAIN_SCHEDULER_ID,
      job: JOB_NAMES.retrain,
      everyMs: schedule.everyMs,
      data: { ...payload },
      opts: RETRAIN_JOB_OPTIONS,
    });
    this.logger.log(
      { model: schedule.model, everyHours: this.config.TAGGER_RETRAIN_INTERVAL_HOURS },
      'Tagger retrain scheduled',
    );
    return schedule;
  }

  /**
   * One scheduled run. Nothing new to learn, or too little to learn from, is a normal outcome:
   * one log line and a completed job, never a failure that would be retried or alarm anyone.
   */
  async run(payload: RetrainPayload): Promise<RetrainReport> {
    const { model } = payload;
    const [latestReview, active] = await Promise.all([
      this.insights.latestThemeReviewAt(),
      this.models.activeVersionOf(model),
    ]);
    const decision = decideRetrain(latestReview, active?.trainedAt);
    if (!decision.retrain) return this.skipped(model, decision.reason, active?.version);
    try {
      const trained = await this.training.retrain(model);
      this.logger.log(
        { model, version: trained.version, trainRows: trained.trainRows },
        'Scheduled retrain made a new active model version',
      );
      return { model, outcome: 'trained', version: trained.version, trainRows: trained.trainRows };
    } catch (e) {
      if (e instanceof NotEnoughReviewsError)
        return this.skipped(model, 'not_enough_reviews', active?.version);
      throw e;
    }
  }

  private skipped(
    model: string,
    reason: RetrainSkipReason,
    activeVersion: number | undefined,
  ): RetrainReport {
    this.logger.log(
      { model, reason, activeVersion: activeVersion ?? null },
      'Scheduled retrain skipped',
    );
    return { model, outcome: 'skipped', reason };
  }
}
