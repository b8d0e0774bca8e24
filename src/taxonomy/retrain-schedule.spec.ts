import {
  decideRetrain,
  parseRetrainPayload,
  retrainSchedule,
  type RetrainDecision,
} from './retrain-schedule';

const at = (iso: string) => new Date(iso);

describe('decideRetrain', () => {
  const cases: Array<{
    name: string;
    latestReview?: Date;
    activeTrainedAt?: Date;
    expected: RetrainDecision;
  }> = [
    {
      name: 'skips when nobody has reviewed a theme',
      expected: { retrain: false, reason: 'no_reviews' },
    },
    {
      name: 'skips when nobody has reviewed a theme, even with a model in place',
      activeTrainedAt: at('2025-03-01T02:00:00Z'),
      expected: { retrain: false, reason: 'no_reviews' },
    },
    {
      name: 'trains the first version once there are reviews',
      latestReview: at('2025-03-01T09:00:00Z'),
      expected: { retrain: true },
    },
    {
      name: 'trains when a review is newer than the active version',
      latestReview: at('2025-03-02T09:00:00Z'),
      activeTrainedAt: at('2025-03-01T02:00:00Z'),
      expected: { retrain: true },
    },
    {
      name: 'skips when every review is older than the active version',
      latestReview: at('2025-03-01T01:59:59Z'),
      activeTrainedAt: at('2025-03-01T02:00:00Z'),
      expected: { retrain: false, reason: 'no_new_reviews' },
    },
    {
      name: 'skips when the latest review is the instant the version was trained',
      latestReview: at('2025-03-01T02:00:00Z'),
      activeTrainedAt: at('2025-03-01T02:00:00Z'),
      expected: { retrain: false, reason: 'no_new_reviews' },
    },
    {
      name: 'trains when a review is a millisecond newer',
      latestReview: at('2025-03-01T02:00:00.001Z'),
      activeTrainedAt: at('2025-03-01T02:00:00Z'),
      expected: { retrain: true },
    },
  ];
  it.each(cases)('$name', ({ latestReview, activeTrainedAt, expected }) => {
    expect(decideRetrain(latestReview, activeTrainedAt)).toEqual(expected);
  });
});

describe('retrainSchedule', () => {
  it.each([
    ['', 24, undefined],
    ['   ', 24, undefined],
    ['kent-themes', 24, { model: 'kent-themes', everyMs: 86_400_000 }],
    ['kent-themes', 1, { model: 'kent-themes', everyMs: 3_600_000 }],
    [' kent.v2 ', 168, { model: 'kent.v2', everyMs: 604_800_000 }],
  ])('model "%s" every %i h -> %j', (model, hours, expected) => {
    expect(
      retrainSchedule({ TAGGER_RETRAIN_MODEL: model, TAGGER_RETRAIN_INTERVAL_HOURS: hours }),
    ).toEqual(expected);
  });
});

describe('parseRetrainPayload', () => {
  it('takes the model name', () => {
    expect(parseRetrainPayload({ model: 'kent-themes' })).toEqual({ model: 'kent-themes' });
  });

  it.each([[null], [{}], [{ model: '' }], [{ model: 3 }]])('refuses %j', (data) => {
    expect(() => parseRetrainPayload(data)).toThrow(
      'retrain job needs the name of the model to retrain',
    );
  });
});
