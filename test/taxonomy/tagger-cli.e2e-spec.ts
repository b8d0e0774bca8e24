import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runTaggerEvaluate, runTaggerTrain } from '../../src/cli/tagger.commands';
import { createTestApp } from '../support/test-app';
import { csvOf, resetBank } from './taxonomy-support';

const repoRoot = path.resolve(__dirname, '..', '..');
const PHASE1 = path.resolve(
  repoRoot,
  '..',
  'shared',
  'data',
  'patient-feedback-phase1',
  'text_data.csv',
);
const PHASE1_CROSSWALK = path.join(repoRoot, 'data', 'taxonomy', 'crosswalk-phase1.csv');

const PARKING = [
  'Could not find a space in the car park',
  'Parking costs far too much at the hospital',
  'The car park barrier was broken again',
  'Nowhere to park near the surgery',
  'Paid six pounds for parking for one hour',
  'Car park full so I missed my appointment',
];
const FOOD = [
  'The hospital food was cold',
  'Lunch on the ward was tasty',
  'No vegetarian meals were offered',
  'The sandwiches were stale',
  'Tea and biscuits came round often',
  'Dinner arrived late and cold',
];

describe('insight-bank tagger:train and tagger:evaluate', () => {
  let app: INestApplication;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ib-tagger-'));
  const file = (name: string, body: Buffer | string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, body);
    return p;
  };

  beforeAll(async () => {
    app = await createTestApp('api');
    await resetBank(app);
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const labelled = () => {
    const rows: string[][] = [['comment', 'codes', 'score']];
    for (let i = 0; i < 5; i++) {
      PARKING.forEach((t, k) => rows.push([`${t} (${i})`, 'Parking', k % 2 ? '-4' : '-2']));
      FOOD.forEach((t, k) =>
        rows.push([`${t} (${i})`, k === 1 || k === 4 ? 'Food' : 'Food;Parking', '0']),
      );
    }
    return file('labelled.csv', csvOf(rows));
  };
  const crosswalk = () =>
    file('crosswalk.csv', 'partner_label,theme_code\nParking,parking\nFood,food_and_drink\n');

  it('trains a model, stores it as an active version and prints held-out metrics', async () => {
    const out: string[] = [];
    const r = await runTaggerTrain(
      app,
      labelled(),
      {
        textColumn: 'comment',
        labelsColumn: 'codes',
        separator: ';',
        model: 'partner',
        crosswalk: crosswalk(),
      },
      (l) => out.push(l),
    );
    const text = out.join('\n');
    expect(text).toContain('Trained model partner v1 on');
    expect(text).toMatch(/\| Parking \| [\d.]+ \| [\d.]+ \| [\d.]+ \| \d+ \|/);
    expect(text).toContain('| micro F1 |');
    expect(text).toContain('| exact match |');
    expect(r.testRows).toBeGreaterThan(5);
    expect(r.report.perLabel.Parking.recall).toBeGreaterThan(0.8);
    const [model] = await app
      .get(DataSource)
      .query<Array<{ crosswalk: Record<string, string[]>; active: boolean }>>(
        `SELECT crosswalk, active FROM tagger_model WHERE name = 'partner'`,
      );
    expect(model).toEqual({
      crosswalk: { Food: ['food_and_drink'], Parking: ['parking'] },
      active: true,
    });
  });

  it('evaluates a stored model and the rules, with sentiment on a -5..5 column', async () => {
    const out: string[] = [];
    const byModel = await runTaggerEvaluate(
      app,
      labelled(),
      { textColumn: 'comment', labelsColumn: 'codes', separator: ';', model: 'partner' },
      (l) => out.push(l),
    );
    expect(out[0]).toContain('Evaluation of model partner v1');
    expect(byModel.report.n).toBe(60);
    expect(byModel.report.microF1).toBeGreaterThan(0.8);

    const rulesOut: string[] = [];
    const byRules = await runTaggerEvaluate(
      app,
      labelled(),
      {
        textColumn: 'comment',
        labelsColumn: 'codes',
        separator: ';',
        rulesOnly: true,
        crosswalk: crosswalk(),
        sentimentColumn: 'score',
        sentimentOrder: 'negative-first',
      },
      (l) => rulesOut.push(l),
    );
    expect(rulesOut.join('\n')).toMatch(/Sentiment accuracy \(5 levels\): [\d.]+ over 60 rows/);
    expect(byRules.report.perLabel.Parking.precision).toBeGreaterThan(0.9);
    expect(byRules.sentiment?.accuracy).toBeGreaterThan(0);
  });

  it.each([
    [
      'a missing column',
      { labelsColumn: 'label' },
      '--labels-column: column "label" is not in the file (columns: comment, codes, score)',
    ],
    [
      'an empty labels column',
      { labelsColumn: 'empty' },
      '--labels-column: column "empty" is empty',
    ],
    [
      'a single label',
      { labelsColumn: 'one' },
      'column "one" has 1 distinct label; training needs at least 2',
    ],
  ])('refuses %s, naming it', async (_n, o, message) => {
    const bad = file(
      'bad.csv',
      o.labelsColumn === 'label'
        ? 'comment,codes,score\nhello,a,1\n'
        : 'comment,empty,one\nhello,,x\nworld,,x\n',
    );
    await expect(
      runTaggerTrain(app, bad, { textColumn: 'comment', model: 'bad', ...o }, () => undefined),
    ).rejects.toThrow(message);
  });

  it('learns the phase 1 patient feedback to at least 0.70 accuracy on its held-out split', async () => {
    if (!fs.existsSync(PHASE1)) {
      console.warn(`Skipping: ${path.relative(repoRoot, PHASE1)} is not present`);
      return;
    }
    const out: string[] = [];
    const r = await runTaggerTrain(
      app,
      PHASE1,
      {
        textColumn: 'feedback',
        labelsColumn: 'label',
        model: 'phase1',
        crosswalk: PHASE1_CROSSWALK,
      },
      (l) => out.push(l),
    );
    expect(r.testRows).toBeGreaterThan(1500);
    expect(r.unmapped).toEqual([]);
    expect(r.report.accuracyTop1).toBeGreaterThanOrEqual(0.7);
    console.log(out.join('\n'));
  });
});
