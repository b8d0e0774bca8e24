import { scoreSentiment, type SentimentLabel } from './sentiment-scorer';

const IMPROVE = 'What could be improved?';
const GOOD = 'What did we do well?';

describe('scoreSentiment', () => {
  it.each<[string, string | undefined, SentimentLabel[]]>([
    ['The receptionist was rude and dismissive', undefined, ['very_negative']],
    [
      'Absolutely appalling, waited six hours and nobody told us anything',
      undefined,
      ['very_negative'],
    ],
    ['Brilliant, caring staff. Thank you so much!', undefined, ['very_positive']],
    ['Good', undefined, ['positive', 'very_positive']],
    ['Good', GOOD, ['positive', 'very_positive']],
    ['Excellent', undefined, ['positive', 'very_positive']],
    ['The appointment was on Tuesday', undefined, ['neutral']],
    ['A bed instead of a chair.', IMPROVE, ['negative']],
    ['Came armed with facts and advice', GOOD, ['positive']],
    ['Not rude at all', undefined, ['positive']],
    ['No problem with parking', undefined, ['positive']],
    ['Never had an issue with the receptionist', undefined, ['positive']],
    ['Could be better', undefined, ['negative']],
    ["Couldn't fault them", undefined, ['positive', 'very_positive']],
    ['Nothing was too much trouble for the nurses', undefined, ['positive', 'very_positive']],
    ['n/a', IMPROVE, ['neutral']],
  ])('%j (question %j) -> %j', (text, question, expected) => {
    expect(expected).toContain(scoreSentiment(text, question).label);
  });

  it('weights the clause after "but" more than the one before', () => {
    expect(
      scoreSentiment('The food was awful but the nurses were wonderful').score,
    ).toBeGreaterThan(0);
    expect(scoreSentiment('The nurses were wonderful but the food was awful').score).toBeLessThan(
      0,
    );
  });

  it('lets intensifiers strengthen a word', () => {
    expect(scoreSentiment('extremely rude').score).toBeLessThan(scoreSentiment('rude').score);
    expect(scoreSentiment('very helpful').score).toBeGreaterThan(scoreSentiment('helpful').score);
  });

  it('inverts a negated word', () => {
    expect(scoreSentiment('helpful').score).toBeGreaterThan(0);
    expect(scoreSentiment('not helpful').score).toBeLessThan(0);
  });

  it('keeps the score within -1..1', () => {
    const s = scoreSentiment('awful terrible appalling disgusting rude dismissive '.repeat(20));
    expect(s.score).toBeGreaterThanOrEqual(-1);
    expect(s.label).toBe('very_negative');
  });

  describe('"Nothing" depends on the question', () => {
    it.each(['Nothing', 'nothing really', 'No', 'None', "Can't think of anything", 'All good'])(
      '%j',
      (text) => {
        expect(scoreSentiment(text, IMPROVE).label).toBe('positive');
        expect(['negative', 'very_negative']).toContain(scoreSentiment(text, GOOD).label);
      },
    );

    it('is neutral with no question', () => {
      expect(scoreSentiment('Nothing').label).toBe('neutral');
    });

    it('keeps praise that follows the "nothing"', () => {
      expect(['positive', 'very_positive']).toContain(
        scoreSentiment('Nothing, the care was excellent', IMPROVE).label,
      );
    });

    it('is not fooled by a complaint after "No"', () => {
      expect(['negative', 'very_negative']).toContain(
        scoreSentiment('No, the nurse was rude', IMPROVE).label,
      );
    });
  });
});
