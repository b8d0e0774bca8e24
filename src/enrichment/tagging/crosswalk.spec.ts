import { loadDefaultTaxonomy } from './taxonomy';
import {
  CrosswalkError,
  loadPhase1Crosswalk,
  parseCrosswalkCsv,
  themesToPartnerLabels,
  validateCrosswalk,
} from './crosswalk';

describe('parseCrosswalkCsv', () => {
  it('groups theme codes by partner label, keeping the label spelling', () => {
    const map = parseCrosswalkCsv(
      'partner_label,theme_code\n"Couldn\'t be improved",couldnt_be_improved\nStaff,staff\nStaff,staff_manner\nStaff,staff\n',
    );
    expect([...map.entries()]).toEqual([
      ["Couldn't be improved", ['couldnt_be_improved']],
      ['Staff', ['staff', 'staff_manner']],
    ]);
  });

  it.each([
    ['label,code\nA,b\n', 'crosswalk needs the columns partner_label and theme_code'],
    [
      'partner_label,theme_code\nA,\n',
      'crosswalk row 2: partner_label and theme_code are both required',
    ],
    ['', 'crosswalk is empty'],
  ])('rejects %j', (csv, message) => {
    expect(() => parseCrosswalkCsv(csv)).toThrow(message);
  });
});

describe('phase-1 crosswalk', () => {
  const taxonomy = loadDefaultTaxonomy();
  const crosswalk = loadPhase1Crosswalk();

  it('maps the nine published labels onto known theme codes', () => {
    expect([...crosswalk.keys()].sort()).toEqual([
      'Access',
      'Care received',
      'Communication',
      "Couldn't be improved",
      'Dignity',
      'Environment/ facilities',
      'Miscellaneous',
      'Staff',
      'Transition/coordination',
    ]);
    expect(() => validateCrosswalk(crosswalk, taxonomy)).not.toThrow();
  });

  it('names unknown codes', () => {
    expect(() => validateCrosswalk(new Map([['Staff', ['staf']]]), taxonomy)).toThrow(
      CrosswalkError,
    );
    expect(() => validateCrosswalk(new Map([['Staff', ['staf']]]), taxonomy)).toThrow(
      '"Staff" -> staf',
    );
  });

  it('turns theme tags back into partner labels, best first', () => {
    const labels = themesToPartnerLabels(
      [
        { code: 'parking', confidence: 0.6 },
        { code: 'staff_manner', confidence: 0.8 },
      ],
      crosswalk,
      taxonomy,
    );
    expect(labels.map((l) => l.label)).toEqual(['Staff', 'Environment/ facilities']);
  });
});
