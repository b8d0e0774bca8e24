import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from 'commander';
import { formatReport } from '../enrichment/tagging/evaluate';
import {
  TaggerTrainingService,
  type EvaluateOutcome,
  type TrainOutcome,
} from '../taxonomy/tagger-training.service';
import type { SentimentOrder } from '../taxonomy/training-data';
import { withContext } from './cli-context';

type Out = (line: string) => void;

/** How to read a labelled file: the options training and evaluating share. */
interface LabelledFileCliOptions {
  textColumn: string;
  labelsColumn: string;
  separator?: string;
  questionColumn?: string;
  crosswalk?: string;
}

export interface TrainCliOptions extends LabelledFileCliOptions {
  model: string;
}

export interface EvaluateCliOptions extends LabelledFileCliOptions {
  model?: string;
  rulesOnly?: boolean;
  sentimentColumn?: string;
  sentimentOrder?: string;
}

const SENTIMENT_ORDERS: readonly SentimentOrder[] = ['positive-first', 'negative-first'];

/** The file and its columns as the training service takes them. */
function labelledFile(file: string, o: LabelledFileCliOptions) {
  return {
    file,
    textColumn: o.textColumn,
    labelsColumn: o.labelsColumn,
    separator: o.separator,
    questionColumn: o.questionColumn,
    crosswalkFile: o.crosswalk,
  };
}

function printTrained(r: TrainOutcome, out: Out): void {
  out(
    `Trained model ${r.name} v${r.version} on ${r.trainRows} rows (${r.skipped} skipped); it is now active.`,
  );
  if (r.unmapped.length)
    out(`Labels that map to no theme (give --crosswalk to use them): ${r.unmapped.join(', ')}`);
  out('');
  out(formatReport(`Held-out ${r.testRows} rows`, r.report));
}

function printEvaluation(r: EvaluateOutcome, out: Out): void {
  out(formatReport(`Evaluation of ${r.using}`, r.report));
  if (r.skipped) out(`\n${r.skipped} rows skipped (no text or no labels).`);
  if (r.sentiment)
    out(
      `\nSentiment accuracy (5 levels): ${r.sentiment.accuracy.toFixed(3)} over ${r.sentiment.rows} rows`,
    );
}

export async function runTaggerTrain(
  app: INestApplicationContext,
  file: string,
  o: TrainCliOptions,
  out: Out,
): Promise<TrainOutcome> {
  const r = await app.get(TaggerTrainingService).train({
    ...labelledFile(file, o),
    model: o.model,
  });
  printTrained(r, out);
  return r;
}

export async function runTaggerEvaluate(
  app: INestApplicationContext,
  file: string,
  o: EvaluateCliOptions,
  out: Out,
): Promise<EvaluateOutcome> {
  if (
    o.sentimentOrder !== undefined &&
    !SENTIMENT_ORDERS.includes(o.sentimentOrder as SentimentOrder)
  )
    throw new Error(
      `--sentiment-order must be positive-first or negative-first (got "${o.sentimentOrder}")`,
    );
  const r = await app.get(TaggerTrainingService).evaluate({
    ...labelledFile(file, o),
    model: o.model,
    rulesOnly: o.rulesOnly,
    sentimentColumn: o.sentimentColumn,
    sentimentOrder: o.sentimentOrder as SentimentOrder | undefined,
  });
  printEvaluation(r, out);
  return r;
}

export async function runTaggerRetrain(
  app: INestApplicationContext,
  model: string,
  out: Out,
): Promise<TrainOutcome> {
  const r = await app.get(TaggerTrainingService).retrain(model);
  printTrained(r, out);
  return r;
}

const stdout: Out = (line) => process.stdout.write(`${line}\n`);

/** A command that reads a labelled file: its columns are asked for alike by every such command. */
function labelledFileCommand(
  program: Command,
  name: string,
  description: string,
  separatorHelp: string,
): Command {
  return program
    .command(name)
    .description(description)
    .requiredOption('--text-column <name>', 'the column holding the comments')
    .requiredOption('--labels-column <name>', 'the column holding the labels')
    .option('--separator <text>', separatorHelp)
    .option('--question-column <name>', 'the column holding the question asked');
}

export function registerTaggerCommands(program: Command): void {
  labelledFileCommand(
    program,
    'tagger:train <file>',
    'Train a theme model on a labelled file (CSV, XLSX, JSON), store it as the next version of --model and make it active; prints metrics on a held-out 20%',
    'splits one labels cell into several labels, e.g. ";"',
  )
    .requiredOption('--model <name>', 'model name; each training makes a new version')
    .option('--crosswalk <csv>', 'partner_label,theme_code pairs mapping labels to themes')
    .action(async (file: string, o: TrainCliOptions) => {
      await withContext({}, (app) => runTaggerTrain(app, file, o, stdout));
    });

  labelledFileCommand(
    program,
    'tagger:evaluate <file>',
    'Score tagging against a labelled file: per-label precision, recall and F1, micro and macro F1, exact match (and sentiment accuracy)',
    'splits one labels cell into several labels',
  )
    .option('--model <name>', 'score this active model alone (labels as it learnt them)')
    .option('--rules-only', 'score the rules over the active taxonomy alone')
    .option('--crosswalk <csv>', 'map theme codes to the file’s labels (partner_label,theme_code)')
    .option('--sentiment-column <name>', 'also score sentiment against this column')
    .option('--sentiment-order <order>', 'positive-first | negative-first', 'negative-first')
    .action(async (file: string, o: EvaluateCliOptions) => {
      await withContext({}, (app) => runTaggerEvaluate(app, file, o, stdout));
    });

  program
    .command('tagger:retrain')
    .description(
      'Train a new version of --model from insights people have reviewed (labels: their theme codes) and make it active',
    )
    .requiredOption('--model <name>', 'model name')
    .action(async (o: { model: string }) => {
      await withContext({}, (app) => runTaggerRetrain(app, o.model, stdout));
    });
}
