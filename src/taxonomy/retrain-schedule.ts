import type { AppConfig } from '../config/env.schema';

/** One scheduler for the whole bank, so several workers upserting it still make one job per interval. */
export const RETRAIN_SCHEDULER_ID = 'tagger-retrain';

const HOUR_MS = 3_600_000;

export interface RetrainPayload {
  model: string;
}

export interface RetrainSchedule {
  model: string;
  everyMs: number;
}

export type RetrainSkipReason = 'no_reviews' | 'no_new_reviews' | 'not_enough_reviews';

export type RetrainDecision = { retrain: true } | { retrain: false; reason: RetrainSkipReason };

export type RetrainReport =
  | { model: string; outcome: 'trained'; version: number; trainRows: number }
  | { model: string; outcome: 'skipped'; reason: RetrainSkipReason };

/** The schedule the configuration asks for, or undefined when it asks for none. */
export function retrainSchedule(
  config: Pick<AppConfig, 'TAGGER_RETRAIN_MODEL' | 'TAGGER_RETRAIN_INTERVAL_HOURS'>,
): RetrainSchedule | undefined {
  const model = config.TAGGER_RETRAIN_MODEL.trim();
  if (!model) return undefined;
  return { model, everyMs: config.TAGGER_RETRAIN_INTERVAL_HOURS * HOUR_MS };
}

export function parseRetrainPayload(data: unknown): RetrainPayload {
  const model = (data as { model?: unknown } | null)?.model;
  if (typeof model !== 'string' || !model.trim())
    throw new Error('retrain job needs the name of the model to retrain');
  return { model: model.trim() };
}

/**
 * A scheduled run retrains only when a person has reviewed a theme since the active version of
 * the model was trained: otherwise it would store a copy of the same model as a new version.
 * With no active version yet, any theme review is enough to try. (A review saved while a retrain
 * is running counts as older than the version it makes; the next review after it brings it in.)
 */
export function decideRetrain(
  latestThemeReviewAt: Date | undefined,
  activeTrainedAt: Date | undefined,
): RetrainDecision {
  if (!latestThemeReviewAt) return { retrain: false, reason: 'no_reviews' };
  if (activeTrainedAt && latestThemeReviewAt.getTime() <= activeTrainedAt.getTime())
    return { retrain: false, reason: 'no_new_reviews' };
  return { retrain: true };
}
