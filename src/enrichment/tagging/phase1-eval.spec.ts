import * as fs from 'node:fs';
import * as path from 'node:path';
import { criticalityToSentiment, parsePhase1Csv, runPhase1Evaluation } from './phase1-eval';

const repoRoot = path.resolve(__dirname, '../../..');
const dataFile = path.resolve(repoRoot, '../shared/data/patient-feedback-phase1/text_data.csv');
const haveData = fs.existsSync(dataFile);

describe('phase-1 evaluation', () => {
  it('parses the file, turning junk criticality values into null', () => {
    const rows = parsePhase1Csv(
      'code,label,subcategory,feedback,criticality,organization,question,row_index\n' +
        'x,Staff,s,Kind nurse,3,Trust A,Trust A - Q2,0\n' +
        'x,Staff,s,Kind nurse,-o,Trust A,Trust A - Q2,1\n' +
        'x,Staff,s,Kind nurse,-9,Trust A,Trust A - Q2,2\n' +
        'x,Staff,s,   ,2,Trust A,Trust A - Q2,3\n',
    );
    expect(rows.map((r) => r.criticality)).toEqual([3, null, null]);
  });

  it.each([
    [-5, 'very_negative'],
    [-3, 'negative'],
    [0, 'neutral'],
    [3, 'positive'],
    [4, 'very_positive'],
  ])('maps criticality %d to %s', (c, label) => {
    expect(criticalityToSentiment(c)).toBe(label);
  });

  (haveData ? it : it.skip)('beats 0.70 accuracy on a seeded 80/20 random split', () => {
    const result = runPhase1Evaluation({
      dataFile,
      seed: 42,
      train: { epochs: 8 },
      rules: true,
      sentiment: true,
    });
    expect(result.rows).toBe(10334);
    expect(result.random.n).toBe(2067);
    expect(result.random.accuracyTop1).toBeGreaterThanOrEqual(0.7);
    expect(result.random.classBalanceAccuracy).toBeGreaterThanOrEqual(0.55);
    expect(result.rules?.microF1).toBeGreaterThan(0.3);
    expect(result.sentiment?.accuracy3).toBeGreaterThan(0.75);
    expect(result.markdown).toContain('Model, seeded random 80/20 split');
  });
  if (!haveData) console.warn(`phase-1 data not found at ${dataFile}; skipping the accuracy check`);
});
