import { Enricher } from './enrich';
import { loadPlaceHierarchy } from './places/place-hierarchy';
import { PlaceResolver } from './places/place-resolver';

describe('Enricher', () => {
  const enricher = new Enricher(new PlaceResolver(loadPlaceHierarchy()));

  it('redacts, places, normalises and detects language for one comment', () => {
    const raw =
      'Dr Patel at the Deal surgery was kind. Call me on 07700 900123, I live at CT14 9PQ.';
    const e = enricher.enrich({
      text: raw,
      question: 'What went well? (Nurse Julie asked me)',
      fields: { age: '1950', sex: 'F', ethnicity: 'White British', carer: 'Yes', unrelated: 'x' },
      referenceYear: 2025,
    });
    expect(e.text).toBe(
      'Dr [NAME] at the Deal surgery was kind. Call me on [PHONE], I live at [POSTCODE].',
    );
    expect(e.question).toBe('What went well? (Nurse [NAME] asked me)');
    expect(e.redaction.summary).toEqual({ NAME: 2, PHONE: 1, POSTCODE: 1 });
    expect(e.redaction.needsReview).toBe(true);
    expect(e.redaction.entities.map((x) => raw.slice(x.start, x.end))).toEqual([
      'Patel',
      '07700 900123',
      'CT14 9PQ',
    ]);
    expect(e.place).toEqual({
      postcodeDistrict: 'CT14',
      ladCode: 'E07000108',
      ladName: 'Dover',
      hcpArea: 'East Kent',
      resolvedBy: 'text',
    });
    expect(e.demographics).toMatchObject({
      ageBand: '75-84',
      sex: 'female',
      ethnicityGroup: 'white',
      carer: 'yes',
      unrecognised: [],
    });
    expect(e.language).toEqual({ language: 'en', isEnglish: true });
    expect(JSON.stringify(e)).not.toMatch(/Patel|Julie|900123|9PQ/);
  });

  it('takes place from the structured fields before the text', () => {
    const e = enricher.enrich({
      text: 'Lovely staff in Margate.',
      fields: { postcode: 'BR8 7AA', practiceCode: 'g82002' },
    });
    expect(e.place).toEqual({
      postcodeDistrict: 'BR8',
      ladCode: 'E07000111',
      ladName: 'Sevenoaks',
      hcpArea: 'Dartford, Gravesham and Swanley',
      gpPractice: 'G82002',
      resolvedBy: 'postcode',
    });
    expect(JSON.stringify(e)).not.toContain('7AA');
  });

  it('detects the language of a comment in Polish', () => {
    const e = enricher.enrich({
      text: 'Bardzo długo czekałam na wizytę, ale lekarz był bardzo miły.',
      fields: {},
    });
    expect(e.language).toEqual({ language: 'pl', isEnglish: false });
    expect(e.demographics.ageBand).toBe('unknown');
    expect(e.place.resolvedBy).toBe('none');
  });
});
