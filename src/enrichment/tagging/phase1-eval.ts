import * as fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import {
  evaluateMultiLabel,
  formatReport,
  randomSplit,
  sentimentAccuracy,
  splitByGroup,
} from './evaluate';
import type { MultiLabelReport, ReportBaseline } from './evaluate';
import { TextClassifier, type TrainOptions } from './model/text-classifier';
import { RuleTagger } from './rules/rule-tagger';
import { scoreSentiment, type SentimentLabel } from './sentiment/sentiment-scorer';
import { loadDefaultTaxonomy } from './taxonomy';
import { loadPhase1Crosswalk, themesToPartnerLabels } from './crosswalk';
import { normaliseText } from './text.util';

/**
 * Evaluation on the published phase-1 patient-experience data (three NHS trusts, one
 * human-assigned label per comment from 9). The lead CLI calls runPhase1Evaluation.
 */

export interface Phase1Row {
  feedback: string;
  label: string;
  organisation: string;
  questionId: string;
  /** −5..5, or null where the file holds a junk value ("-o", "NA", "SS", −9, ...). */
  criticality: number | null;
}

/** The published linear classifier on the same 9 labels. */
export const PHASE1_BASELINE: ReportBaseline = {
  name: 'published baseline',
  accuracy: 0.7,
  classBalanceAccuracy: 0.55,
};

/**
 * The file names questions only by id. Their wording is inferred from the answers: the "nothing
 * to improve" code dominates Trust A Q1 and Trust C Q2, while Trust A Q2 is all praise. Trust C
 * Q1 mixes praise with "Nothing" coded as "couldn't be improved", and Trust B Q1 mixes everything,
 * so both are treated as open questions.
 */
export const PHASE1_QUESTION_TEXT: Readonly<Record<string, string>> = {
  'Trust A - Q1': 'What could we have done better?',
  'Trust A - Q2': 'What did we do well?',
  'Trust B - Q1': 'Please tell us about your experience',
  'Trust C - Q1': 'Please tell us about your experience',
  'Trust C - Q2': 'What could be improved?',
};

export function questionFor(row: Phase1Row): string | undefined {
  return PHASE1_QUESTION_TEXT[row.questionId];
}

export function parsePhase1Csv(text: string): Phase1Row[] {
  const records = parse<Record<string, string>>(text, {
    columns: true,
    bom: true,
    skip_empty_lines: true,
  });
  const rows: Phase1Row[] = [];
  for (const r of records) {
    const feedback = (r.feedback ?? '').trim();
    const label = (r.label ?? '').trim();
    if (feedback === '' || label === '') continue;
    const c = Number((r.criticality ?? '').trim());
    rows.push({
      feedback,
      label,
      organisation: (r.organization ?? '').trim(),
      questionId: (r.question ?? '').trim(),
      criticality:
        Number.isInteger(c) && c >= -5 && c <= 5 && /^-?\d+$/.test(r.criticality.trim()) ? c : null,
    });
  }
  return rows;
}

/**
 * Criticality to five levels: ±4..5 are the strong ends, ±1..3 the moderate middle (3 is the
 * coders' usual mark for plain praise such as "Friendly, supportive"), 0 neutral.
 */
export function criticalityToSentiment(c: number): SentimentLabel {
  if (c <= -4) return 'very_negative';
  if (c < 0) return 'negative';
  if (c === 0) return 'neutral';
  if (c <= 3) return 'positive';
  return 'very_positive';
}

function polarity(label: SentimentLabel): 'negative' | 'neutral' | 'positive' {
  switch (label) {
    case 'very_negative':
    case 'negative':
      return 'negative';
    case 'neutral':
      return 'neutral';
    case 'positive':
    case 'very_positive':
      return 'positive';
  }
}

export interface Phase1EvaluationOptions {
  dataFile: string;
  seed?: number;
  testFraction?: number;
  /**
   * Keep identical texts on one side of the random split. Off by default so the figures compare
   * with the published baseline, which split rows; on, it shows how much repeated answers help.
   */
  groupDuplicates?: boolean;
  train?: Omit<TrainOptions, 'seed'>;
  /** Also train on two trusts and test on the third, each in turn (three more trainings). */
  byOrganisation?: boolean;
  rules?: boolean;
  sentiment?: boolean;
  log?: (line: string) => void;
}

export interface SentimentEvaluation {
  n: number;
  accuracy5: number;
  accuracy3: number;
  /** confusion[gold][predicted] on the five levels. */
  confusion: Record<string, Record<string, number>>;
}

export interface Phase1EvaluationResult {
  rows: number;
  random: MultiLabelReport;
  trainSeconds: number;
  byOrganisation: Array<{ testOrganisation: string; report: MultiLabelReport }>;
  rules?: MultiLabelReport;
  sentiment?: SentimentEvaluation;
  markdown: string;
}

function trainAndScore(
  train: Phase1Row[],
  test: Phase1Row[],
  opts: TrainOptions,
): MultiLabelReport {
  const model = TextClassifier.train(
    train.map((r) => ({ text: r.feedback, labels: [r.label], question: questionFor(r) })),
    opts,
  );
  return evaluateMultiLabel(
    test.map((r) => [r.label]),
    test.map((r) => model.predict(r.feedback, questionFor(r)).map((p) => p.label)),
  );
}

function evaluateSentiment(rows: Phase1Row[]): SentimentEvaluation {
  // Trust B left almost every comment at 0, praise included: its zeros mean "not scored".
  const scored = rows.filter(
    (r): r is Phase1Row & { criticality: number } =>
      r.criticality !== null && !(r.organisation === 'Trust B' && r.criticality === 0),
  );
  const gold = scored.map((r) => criticalityToSentiment(r.criticality));
  const predicted = scored.map((r) => scoreSentiment(r.feedback, questionFor(r)).label);
  const confusion: Record<string, Record<string, number>> = {};
  gold.forEach((g, i) => {
    confusion[g] ??= {};
    confusion[g][predicted[i]] = (confusion[g][predicted[i]] ?? 0) + 1;
  });
  return {
    n: scored.length,
    accuracy5: sentimentAccuracy(gold, predicted),
    accuracy3: sentimentAccuracy(gold.map(polarity), predicted.map(polarity)),
    confusion,
  };
}

export function runPhase1Evaluation(options: Phase1EvaluationOptions): Phase1EvaluationResult {
  const log = options.log ?? (() => undefined);
  const seed = options.seed ?? 42;
  const rows = parsePhase1Csv(fs.readFileSync(options.dataFile, 'utf8'));
  const trainOpts: TrainOptions = { ...options.train, seed };
  const sections: string[] = [];

  const split = randomSplit(
    rows,
    options.testFraction ?? 0.2,
    seed,
    options.groupDuplicates
      ? (r) => normaliseText(r.feedback).replace(/\W+/g, ' ').trim()
      : undefined,
  );
  log(`random split: ${split.train.length} train / ${split.test.length} test`);
  const started = process.hrtime.bigint();
  const random = trainAndScore(split.train, split.test, trainOpts);
  const trainSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  sections.push(
    formatReport(`Model, seeded random 80/20 split (seed ${seed})`, random, PHASE1_BASELINE),
  );

  const byOrganisation: Phase1EvaluationResult['byOrganisation'] = [];
  if (options.byOrganisation) {
    const orgs = [...new Set(rows.map((r) => r.organisation))].sort();
    for (const org of orgs) {
      const s = splitByGroup(rows, (r) => r.organisation, org);
      log(`by organisation: test on ${org} (${s.test.length} rows)`);
      const report = trainAndScore(s.train, s.test, trainOpts);
      byOrganisation.push({ testOrganisation: org, report });
      sections.push(
        formatReport(
          `Model, trained on the other trusts, tested on ${org}`,
          report,
          PHASE1_BASELINE,
        ),
      );
    }
  }

  let rules: MultiLabelReport | undefined;
  if (options.rules) {
    const taxonomy = loadDefaultTaxonomy();
    const tagger = new RuleTagger(taxonomy);
    const crosswalk = loadPhase1Crosswalk();
    rules = evaluateMultiLabel(
      split.test.map((r) => [r.label]),
      split.test.map((r) =>
        themesToPartnerLabels(tagger.tag(r.feedback, questionFor(r)), crosswalk, taxonomy).map(
          (l) => l.label,
        ),
      ),
    );
    sections.push(
      formatReport(
        'Rules only, through the phase-1 crosswalk (same test rows)',
        rules,
        PHASE1_BASELINE,
      ),
    );
  }

  let sentiment: SentimentEvaluation | undefined;
  if (options.sentiment) {
    sentiment = evaluateSentiment(rows);
    sections.push(
      [
        '#### Sentiment against criticality',
        '',
        `n = ${sentiment.n}; five-level accuracy ${sentiment.accuracy5.toFixed(3)}; three-level (negative/neutral/positive) accuracy ${sentiment.accuracy3.toFixed(3)}`,
      ].join('\n'),
    );
  }

  return {
    rows: rows.length,
    random,
    trainSeconds,
    byOrganisation,
    rules,
    sentiment,
    markdown: sections.join('\n\n'),
  };
}
