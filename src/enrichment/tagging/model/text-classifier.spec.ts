import {
  ModelError,
  TextClassifier,
  type SerializedModel,
  type TrainingExample,
} from './text-classifier';

const IMPROVE = 'What could be improved?';
const GOOD = 'What did we do well?';

/** A small synthetic training set: three themes with their own vocabulary, some comments carrying two. */
function corpus(multiLabel: boolean): TrainingExample[] {
  const staff = [
    'the nurse was kind',
    'lovely friendly staff',
    'doctor was rude',
    'receptionist very helpful',
    'staff were caring',
  ];
  const parking = [
    'no parking spaces',
    'car park full',
    'parking too expensive',
    'could not park',
    'parking charges high',
  ];
  const food = [
    'food was cold',
    'lovely meals',
    'no vegetarian food',
    'tea and biscuits',
    'breakfast was late',
  ];
  const out: TrainingExample[] = [];
  for (let round = 0; round < 8; round++) {
    staff.forEach((t) => out.push({ text: `${t} ${round}`, labels: ['staff'], question: GOOD }));
    parking.forEach((t) =>
      out.push({ text: `${t} ${round}`, labels: ['parking'], question: IMPROVE }),
    );
    food.forEach((t) => out.push({ text: `${t} ${round}`, labels: ['food'] }));
    if (multiLabel) {
      out.push({ text: `rude staff and parking full ${round}`, labels: ['staff', 'parking'] });
      out.push({ text: `kind nurse brought cold food ${round}`, labels: ['staff', 'food'] });
    }
  }
  return out;
}

describe('TextClassifier', () => {
  const single = TextClassifier.train(corpus(false), { seed: 7, epochs: 8, featureBits: 16 });
  const multi = TextClassifier.train(corpus(true), { seed: 7, epochs: 10, featureBits: 16 });

  it.each([
    ['The parking was a nightmare', 'parking'],
    ['Staff were so kind', 'staff'],
    ['Meals were cold again', 'food'],
  ])('learns %j -> %s', (text, label) => {
    expect(single.predict(text)[0].label).toBe(label);
  });

  it('returns exactly one label when trained on single-label data', () => {
    expect(single.predict('rude staff and no parking spaces')).toHaveLength(1);
  });

  it('can return several labels when trained on multi-label data, most likely first', () => {
    const got = multi.predict('rude staff and the car park was full');
    expect(got.map((g) => g.label).sort()).toEqual(['parking', 'staff']);
    expect(got[0].confidence).toBeGreaterThanOrEqual(got[1].confidence);
  });

  it('always returns at least one label', () => {
    expect(multi.predict('zzz qqq')).toHaveLength(1);
  });

  it('is deterministic for a seed', () => {
    const again = TextClassifier.train(corpus(true), { seed: 7, epochs: 10, featureBits: 16 });
    expect(again.toJSON().weights).toBe(multi.toJSON().weights);
    const other = TextClassifier.train(corpus(true), { seed: 8, epochs: 10, featureBits: 16 });
    expect(other.toJSON().weights).not.toBe(multi.toJSON().weights);
  });

  it('reports training progress with a falling loss', () => {
    const losses: number[] = [];
    TextClassifier.train(corpus(false), {
      seed: 1,
      epochs: 5,
      featureBits: 16,
      onProgress: (p) => losses.push(p.loss),
    });
    expect(losses).toHaveLength(5);
    expect(losses[4]).toBeLessThan(losses[0]);
  });

  it('round-trips through JSON with identical predictions', () => {
    const json = JSON.parse(JSON.stringify(multi.toJSON())) as SerializedModel;
    const restored = TextClassifier.fromJSON(json);
    for (const text of [
      'rude staff and the car park was full',
      'cold food',
      'kind nurse',
      'something else entirely',
    ]) {
      expect(restored.predict(text, IMPROVE)).toEqual(multi.predict(text, IMPROVE));
      expect(restored.scores(text)).toEqual(multi.scores(text));
    }
    expect(json.labels).toEqual(['food', 'parking', 'staff']);
    expect(json.metadata.examples).toBe(corpus(true).length);
  });

  it('stores weights compactly', () => {
    const json = JSON.stringify(multi.toJSON());
    expect(json.length).toBeLessThan(200_000);
  });

  it('refuses a model built by another feature pipeline', () => {
    const json = { ...multi.toJSON(), pipeline: { version: 'old', featureBits: 16 } };
    expect(() => TextClassifier.fromJSON(json)).toThrow(/feature pipeline old.*retrain/);
  });

  it('refuses arrays that do not agree', () => {
    const json = { ...multi.toJSON(), bias: [0] };
    expect(() => TextClassifier.fromJSON(json)).toThrow('model arrays do not agree in size');
  });

  it.each([
    [[], 'at least two labelled'],
    [
      [
        { text: 'a', labels: ['x'] },
        { text: 'b', labels: ['x'] },
      ],
      'at least two distinct labels',
    ],
  ])('rejects unusable training data', (examples, message) => {
    expect(() => TextClassifier.train(examples)).toThrow(ModelError);
    expect(() => TextClassifier.train(examples)).toThrow(message);
  });
});
