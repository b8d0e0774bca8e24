import type { INestApplication } from '@nestjs/common';
import { TextClassifier } from '../../src/enrichment/tagging/model/text-classifier';
import { TaggingService } from '../../src/enrichment/tagging/tagging.service';
import { TaggerModelsRepository } from '../../src/taxonomy/tagger-models.repository';
import { createTestApp } from '../support/test-app';
import { importComments, resetBank } from './taxonomy-support';

// Words no rule of the default taxonomy knows, so any theme on these comments came from the model.
const TRAIN = [
  ...['zorblat', 'zorblat grimble', 'the zorblat again', 'zorblat zorblat', 'more zorblat'].map(
    (text) => ({ text, labels: ['Zorb'] }),
  ),
  ...['quillon', 'quillon wump', 'the quillon again', 'quillon quillon', 'more quillon'].map(
    (text) => ({ text, labels: ['Quill'] }),
  ),
];

/**
 * `tagger:train` runs in its own process and activates a model in PostgreSQL. The workers must tag
 * with it from the next chunk on, not after their cached view happens to expire.
 */
describe('a model activated by another process', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp();
    await resetBank(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('tags the very next upload', async () => {
    // The worker has just looked: its cached view (no model) counts as fresh for a few seconds.
    await app.get(TaggingService).refresh();
    expect(app.get(TaggingService).current().model).toBeUndefined();

    // What tagger:train stores, written as another process would (this app is not told).
    const classifier = TextClassifier.train(TRAIN, { seed: 7 });
    await app.get(TaggerModelsRepository).addAndActivate({
      name: 'partner',
      labels: [...classifier.labelSet],
      crosswalk: { Zorb: ['parking'], Quill: ['food_and_drink'] },
      model: classifier.toJSON(),
      metrics: null,
      trainedOn: 'labelled.csv',
    });

    const stored = await importComments(app, 'after-training.csv', [
      'zorblat zorblat grimble',
      'quillon quillon wump',
    ]);
    expect(
      stored.map((s) => s.themes.filter((t) => t.provenance === 'model').map((t) => t.code)),
    ).toEqual([['parking'], ['food_and_drink']]);
  });
});
