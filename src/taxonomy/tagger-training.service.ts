import * as fs from 'node:fs';
import * as path from 'node:path';
import { Injectable } from '@nestjs/common';
import { invalidInput, notFound } from '../common/domain-error';
import {
  parseCrosswalkCsv,
  themesToPartnerLabels,
  validateCrosswalk,
} from '../enrichment/tagging/crosswalk';
import {
  evaluateMultiLabel,
  randomSplit,
  sentimentAccuracy,
  type MultiLabelReport,
} from '../enrichment/tagging/evaluate';
import { TextClassifier, type TrainingExample } from '../enrichment/tagging/model/text-classifier';
import { scoreSentiment } from '../enrichment/tagging/sentiment/sentiment-scorer';
import { TaggingService } from '../enrichment/tagging/tagging.service';
import type { Taxonomy } from '../enrichment/tagging/taxonomy';
import { InsightTagsRepository } from './insight-tags.repository';
import { TaggerModelsRepository } from './tagger-models.repository';
import {
  readLabelledFile,
  requireTwoLabels,
  sentimentScale,
  TrainingDataError,
  type LabelledFileOptions,
  type SentimentOrder,
} from './training-data';

const SPLIT_SEED = 42;
const TEST_FRACTION = 0.2;
export const REVIEWED_INSIGHTS = 'reviewed insights';

/** Too few reviewed insights (or themes among them) to learn from: wait for more reviews. */
export class NotEnoughReviewsError extends TrainingDataError {
  constructor(message: string) {
    super(message);
    this.name = 'NotEnoughReviewsError';
  }
}

export interface TrainRequest extends LabelledFileOptions {
  file: string;
  model: string;
  crosswalkFile?: string;
}

export interface TrainOutcome {
  id: string;
  name: string;
  version: number;
  trainRows: number;
  testRows: number;
  skipped: number;
  labels: string[];
  /** Labels that map to no theme: the model predicts them but they tag nothing. */
  unmapped: string[];
  report: MultiLabelReport;
}

export interface EvaluateRequest extends LabelledFileOptions {
  file: string;
  model?: string;
  rulesOnly?: boolean;
  crosswalkFile?: string;
  sentimentOrder?: SentimentOrder;
}

export interface EvaluateOutcome {
  using: string;
  skipped: number;
  report: MultiLabelReport;
  sentiment?: { accuracy: number; rows: number };
}

interface Example {
  text: string;
  labels: string[];
  question?: string;
}

/** Trains, stores, activates and evaluates theme models; the CLI's tagger commands call this. */
@Injectable()
export class TaggerTrainingService {
  constructor(
    private readonly models: TaggerModelsRepository,
    private readonly insights: InsightTagsRepository,
    private readonly tagging: TaggingService,
  ) {}

  async train(req: TrainRequest): Promise<TrainOutcome> {
    const data = await readLabelledFile(req.file, req);
    requireTwoLabels(data.labels, req.labelsColumn);
    const taxonomy = (await this.tagging.refresh()).taxonomy;
    const crosswalk = req.crosswalkFile
      ? this.readCrosswalk(req.crosswalkFile, taxonomy)
      : new Map<string, string[]>();
    return this.fitAndStore(
      req.model,
      data.rows,
      path.basename(req.file),
      data.skipped,
      (label) => crosswalk.get(label) ?? (taxonomy.byCode(label) ? [label] : []),
    );
  }

  /** A new version of `name` learnt from insights people have reviewed; labels are theme codes. */
  async retrain(name: string): Promise<TrainOutcome> {
    const rows = (await this.insights.reviewed())
      .filter((r) => r.themeCodes.length > 0)
      .map((r) => ({
        text: r.text,
        labels: r.themeCodes,
        ...(r.question ? { question: r.question } : {}),
      }));
    const labels = new Set(rows.flatMap((r) => r.labels));
    if (rows.length < 2 || labels.size < 2)
      throw new NotEnoughReviewsError(
        `retraining needs at least 2 reviewed insights carrying at least 2 themes (found ${rows.length} insights, ${labels.size} theme${labels.size === 1 ? '' : 's'})`,
      );
    return this.fitAndStore(name, rows, REVIEWED_INSIGHTS, 0, (label) => [label]);
  }

  async evaluate(req: EvaluateRequest): Promise<EvaluateOutcome> {
    if (req.model && req.rulesOnly)
      throw invalidInput('use either --model or --rules-only, not both');
    const data = await readLabelledFile(req.file, req);
    const snap = await this.tagging.refresh();
    const crosswalk = req.crosswalkFile
      ? this.readCrosswalk(req.crosswalkFile, snap.taxonomy)
      : undefined;
    const toLabels = (tags: Array<{ code: string; confidence: number }>): string[] =>
      crosswalk
        ? themesToPartnerLabels(tags, crosswalk, snap.taxonomy).map((l) => l.label)
        : tags.map((t) => t.code);

    let using: string;
    let predict: (r: Example) => string[];
    if (req.model) {
      const row = await this.models.findActiveByName(req.model);
      if (!row) throw notFound('Active model', req.model);
      const classifier = TextClassifier.fromJSON(row.model);
      using = `model ${row.name} v${row.version}`;
      predict = (r) => classifier.predict(r.text, r.question).map((p) => p.label);
    } else if (req.rulesOnly) {
      using = `rules (taxonomy v${snap.taxonomyVersion})`;
      predict = (r) => toLabels(this.tagging.ruleTags(snap, r.text, r.question));
    } else {
      using = `rules (taxonomy v${snap.taxonomyVersion})${snap.model ? ` + model ${snap.model.name} v${snap.model.version}` : ''}`;
      predict = (r) => toLabels(this.tagging.tag(r.text, r.question));
    }
    const report = evaluateMultiLabel(
      data.rows.map((r) => r.labels),
      data.rows.map(predict),
    );
    const out: EvaluateOutcome = { using, skipped: data.skipped, report };
    if (req.sentimentColumn) {
      const scale = sentimentScale(
        data.rows.map((r) => r.sentiment ?? ''),
        req.sentimentOrder ?? 'negative-first',
      );
      const scored = data.rows
        .map((r) => ({ r, gold: scale(r.sentiment ?? '') }))
        .filter(
          (x): x is { r: (typeof data.rows)[number]; gold: NonNullable<typeof x.gold> } => !!x.gold,
        );
      if (!scored.length)
        throw new TrainingDataError(
          `--sentiment-column: column "${req.sentimentColumn}" is empty in every row`,
        );
      out.sentiment = {
        rows: scored.length,
        accuracy: sentimentAccuracy(
          scored.map((x) => x.gold),
          scored.map((x) => scoreSentiment(x.r.text, x.r.question).label),
        ),
      };
    }
    return out;
  }

  private readCrosswalk(file: string, taxonomy: Taxonomy): Map<string, string[]> {
    const crosswalk = parseCrosswalkCsv(fs.readFileSync(file, 'utf8'));
    validateCrosswalk(crosswalk, taxonomy);
    return crosswalk;
  }

  private async fitAndStore(
    name: string,
    rows: Example[],
    trainedOn: string,
    skipped: number,
    codesFor: (label: string) => string[],
  ): Promise<TrainOutcome> {
    const split = randomSplit(rows, TEST_FRACTION, SPLIT_SEED, (r) => r.text.trim().toLowerCase());
    const train: TrainingExample[] = split.train.length >= 2 ? split.train : rows;
    const classifier = TextClassifier.train(train, { seed: SPLIT_SEED });
    const test = split.test.length ? split.test : rows;
    const report = evaluateMultiLabel(
      test.map((r) => r.labels),
      test.map((r) => classifier.predict(r.text, r.question).map((p) => p.label)),
    );
    const labels = [...classifier.labelSet];
    const crosswalk = Object.fromEntries(labels.map((l) => [l, codesFor(l)]));
    const saved = await this.models.addAndActivate({
      name,
      labels,
      crosswalk,
      model: classifier.toJSON(),
      metrics: report,
      trainedOn,
    });
    await this.tagging.refresh();
    return {
      id: saved.id,
      name: saved.name,
      version: saved.version,
      trainRows: train.length,
      testRows: test.length,
      skipped,
      labels,
      unmapped: labels.filter((l) => crosswalk[l].length === 0),
      report,
    };
  }
}
