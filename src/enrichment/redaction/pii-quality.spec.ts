import { PII_CORPUS } from './pii-corpus';
import { evaluatePiiCorpus, formatPiiReport } from './pii-quality';

describe('PII redaction quality on the synthetic corpus', () => {
  const report = evaluatePiiCorpus();

  it('is measured on at least 220 sentences, 100 of them look-alikes', () => {
    expect(PII_CORPUS.length).toBeGreaterThanOrEqual(220);
    expect(report.lookAlikes).toBeGreaterThanOrEqual(100);
  });

  it.each(['NHS_NUMBER', 'EMAIL', 'PHONE', 'NI_NUMBER', 'POSTCODE'] as const)(
    'finds %s with recall of at least 0.99',
    (type) => {
      expect(report.perType[type].tp).toBeGreaterThan(0);
      expect(report.perType[type].recall).toBeGreaterThanOrEqual(0.99);
    },
  );

  it('finds names, with or without a title or role, with recall and precision of at least 0.95', () => {
    expect(report.perType.NAME.recall).toBeGreaterThanOrEqual(0.95);
    expect(report.perType.NAME.precision).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps overall precision at or above 0.95', () => {
    expect(report.overall.precision).toBeGreaterThanOrEqual(0.95);
  });

  it('counts a miss and a false alarm against the right type', () => {
    const r = evaluatePiiCorpus([
      { text: 'Dr appointment at 3pm', expected: [{ type: 'NAME', value: 'appointment' }] },
      { text: 'ring 07700 900123', expected: [] },
    ]);
    expect(r.perType.NAME).toMatchObject({ tp: 0, fn: 1, recall: 0 });
    expect(r.perType.PHONE).toMatchObject({ tp: 0, fp: 1, precision: 0 });
  });

  it('prints a table with a row per type', () => {
    expect(formatPiiReport(report)).toMatch(/\| NHS_NUMBER \| \d+ \| \d+ \| \d+ \|/);
  });
});
