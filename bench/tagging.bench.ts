/**
 * Throughput of the tagging engine on one core: rules + model + sentiment per comment.
 *
 *   npx ts-node --transpile-only bench/tagging.bench.ts [comments=20000]
 *
 * Uses the published phase-1 comments when the shared data folder sits beside the repository
 * (trains the model on them first), otherwise synthetic comments and a small synthetic model.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  TextClassifier,
  type TrainingExample,
} from '../src/enrichment/tagging/model/text-classifier';
import { parsePhase1Csv, questionFor } from '../src/enrichment/tagging/phase1-eval';
import { RuleTagger } from '../src/enrichment/tagging/rules/rule-tagger';
import { scoreSentiment } from '../src/enrichment/tagging/sentiment/sentiment-scorer';
import { loadDefaultTaxonomy } from '../src/enrichment/tagging/taxonomy';

interface Comment {
  text: string;
  question?: string;
}

const count = Number(process.argv[2] ?? 20000);
const dataFile = path.resolve(__dirname, '../../shared/data/patient-feedback-phase1/text_data.csv');

function syntheticComments(): { comments: Comment[]; training: TrainingExample[] } {
  const parts = [
    'The nurses were kind and caring',
    'I waited four hours in A&E',
    'Parking was expensive and there were no spaces',
    'The receptionist was rude on the phone',
    'Food was cold but the ward was clean',
    'Could not get a GP appointment for three weeks',
    'Nothing',
    'Excellent care from start to finish, thank you',
  ];
  const labels = [
    'Staff',
    'Access',
    'Environment/ facilities',
    'Staff',
    'Environment/ facilities',
    'Access',
    "Couldn't be improved",
    'Care received',
  ];
  const comments = parts.map((text, i) => ({
    text,
    question: i % 2 ? 'What could be improved?' : undefined,
  }));
  const training = parts.flatMap((text, i) =>
    Array.from({ length: 20 }, (_, k) => ({ text: `${text} ${k}`, labels: [labels[i]] })),
  );
  return { comments, training };
}

function main(): void {
  let comments: Comment[];
  let training: TrainingExample[];
  if (fs.existsSync(dataFile)) {
    const rows = parsePhase1Csv(fs.readFileSync(dataFile, 'utf8'));
    comments = rows.map((r) => ({ text: r.feedback, question: questionFor(r) }));
    training = rows.map((r) => ({ text: r.feedback, labels: [r.label], question: questionFor(r) }));
    console.log(`source: phase-1 comments (${rows.length}), repeated to ${count}`);
  } else {
    ({ comments, training } = syntheticComments());
    console.log(`source: synthetic comments (phase-1 data not found at ${dataFile})`);
  }
  const batch = Array.from({ length: count }, (_, i) => comments[i % comments.length]);
  const chars = batch.reduce((s, c) => s + c.text.length, 0);

  let t = process.hrtime.bigint();
  const model = TextClassifier.train(training, { seed: 42 });
  const trainSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  const serialised = JSON.stringify(model.toJSON());

  const taxonomy = loadDefaultTaxonomy();
  t = process.hrtime.bigint();
  const tagger = new RuleTagger(taxonomy);
  const compileMs = Number(process.hrtime.bigint() - t) / 1e6;

  for (const c of batch.slice(0, 500)) {
    tagger.tag(c.text, c.question);
    model.predict(c.text, c.question);
    scoreSentiment(c.text, c.question);
  }

  const timeIt = (fn: (c: Comment) => unknown): number => {
    const started = process.hrtime.bigint();
    let sink = 0;
    for (const c of batch) sink += fn(c) ? 1 : 0;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (sink < 0) console.log(sink);
    return seconds;
  };
  const rulesS = timeIt((c) => tagger.tag(c.text, c.question));
  const sentimentS = timeIt((c) => scoreSentiment(c.text, c.question));
  const modelS = timeIt((c) => model.predict(c.text, c.question));
  const allS = timeIt((c) => [
    tagger.tag(c.text, c.question),
    model.predict(c.text, c.question),
    scoreSentiment(c.text, c.question),
  ]);

  const rate = (s: number) => `${Math.round(count / s).toLocaleString('en-GB')} comments/s`;
  console.log(
    `machine: ${os.cpus()[0]?.model ?? 'unknown cpu'}, ${os.cpus().length} logical cores (benchmark uses one)`,
  );
  console.log(
    `node ${process.version}; ${count} comments, mean ${Math.round(chars / count)} characters`,
  );
  console.log(
    `model: trained on ${training.length} examples in ${trainSeconds.toFixed(1)} s; ${(serialised.length / 1e6).toFixed(1)} MB as JSON`,
  );
  console.log(`rules: lexicon compiled in ${compileMs.toFixed(0)} ms`);
  console.log(`rules only      ${rate(rulesS)}`);
  console.log(`sentiment only  ${rate(sentimentS)}`);
  console.log(`model only      ${rate(modelS)}`);
  console.log(`rules + model + sentiment  ${rate(allS)}  (${allS.toFixed(2)} s)`);
  console.log(`heap used: ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
}

main();
