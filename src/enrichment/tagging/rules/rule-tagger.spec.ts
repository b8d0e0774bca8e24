import { loadDefaultTaxonomy, loadTaxonomy } from '../taxonomy';
import { RuleTagger, type ThemeTag } from './rule-tagger';

const IMPROVE = 'What could be improved?';
const GOOD = 'What was good about your visit?';

describe('RuleTagger', () => {
  const tagger = new RuleTagger(loadDefaultTaxonomy());
  const codes = (text: string, q?: string) => tagger.tag(text, q).map((t) => t.code);
  const find = (tags: ThemeTag[], code: string) => tags.find((t) => t.code === code);

  describe('inflections and phrases', () => {
    it.each([
      ['I had to wait for my appointments', ['appointment_arrangements', 'timeliness_of_care']],
      ['Appointment was cancelled twice', ['appointment_arrangements']],
      ['We waited for ages', ['timeliness_of_care']],
      ['Nobody was listening to me', ['listening_and_involvement']],
      ['the car   parks were\nfull', ['parking']],
      ['Car\nPark was full', ['parking']],
      ['Lovely midwives on the labour ward', ['maternity', 'staff_manner']],
      ['Seen quickly in A&E', ['urgent_emergency_care', 'timeliness_of_care']],
      ['Phoned 111 and an ambulance came', ['nhs111_ambulance']],
      ['Could not get a dentist appointment', ['dental', 'appointment_arrangements']],
    ])('%j', (text, expected) => {
      expect(codes(text)).toEqual(expect.arrayContaining(expected));
    });

    it('adds the parent category of a matched sub-theme, with lower confidence', () => {
      const tags = tagger.tag('The toilets were dirty');
      expect(find(tags, 'cleanliness')?.confidence).toBeGreaterThan(
        find(tags, 'environment')?.confidence ?? 1,
      );
      expect(find(tags, 'environment')?.provenance).toBe('rule');
    });

    it('records the matched phrase as evidence, never the comment', () => {
      const text = 'My neighbour Jane Smith said the parking at the hospital was terrible';
      for (const tag of tagger.tag(text)) {
        expect(tag.evidence?.length ?? 0).toBeLessThan(30);
        expect(tag.evidence).not.toContain('Jane');
      }
      expect(find(tagger.tag(text), 'parking')?.evidence).toBe('parking');
    });

    it('does not match inside longer words', () => {
      expect(codes('The sparkling new building')).not.toContain('parking');
    });

    it('honours exclusion phrases', () => {
      expect(codes('I live on Park Lane')).not.toContain('parking');
      expect(codes('I had surgery on my knee')).not.toContain('gp');
      expect(codes('The surgery was always busy')).toContain('gp');
    });
  });

  describe('negation', () => {
    it('inverts a negated complaint: theme kept, marked negated, less confident', () => {
      const plain = find(tagger.tag('The nurse was rude'), 'staff_manner');
      const negated = find(tagger.tag('The nurse was not rude at all'), 'staff_manner');
      expect(plain?.negated).toBeUndefined();
      expect(negated?.negated).toBe(true);
      expect(negated?.confidence ?? 1).toBeLessThan(plain?.confidence ?? 0);
    });

    it.each([
      ['There was no delay', 'timeliness_of_care'],
      ["Didn't have to wait long", 'timeliness_of_care'],
      ['Never dirty', 'cleanliness'],
    ])('%j is a negated %s', (text, code) => {
      expect(find(tagger.tag(text), code)?.negated).toBe(true);
    });

    it('keeps neutral topics under negation: "no problem with parking" is about parking', () => {
      const tag = find(tagger.tag('No problem with parking'), 'parking');
      expect(tag).toBeDefined();
      expect(tag?.negated).toBeUndefined();
      expect(find(tagger.tag('Never had an issue with the receptionist'), 'staff')).toBeDefined();
    });

    it('drops negated praise instead of inverting it', () => {
      expect(codes('It was not a good service')).not.toContain('positive_experience');
      expect(codes('It was a good service')).toContain('positive_experience');
    });

    it('does not carry negation across a sentence end', () => {
      expect(find(tagger.tag('No. The nurse was rude'), 'staff_manner')?.negated).toBeUndefined();
    });
  });

  describe('the question asked', () => {
    it.each([
      'Nothing',
      'nothing really',
      'No',
      "Can't think of anything",
      'Nothing at all, all good',
    ])('%j under an improve question is praise: couldnt_be_improved', (text) => {
      expect(codes(text, IMPROVE)).toEqual(
        expect.arrayContaining(['couldnt_be_improved', 'positive_experience']),
      );
    });

    it.each(['Nothing', 'nothing really', 'No'])(
      '%j under a positive question gets no praise tag',
      (text) => {
        const got = codes(text, GOOD);
        expect(got).not.toContain('couldnt_be_improved');
        expect(got).not.toContain('positive_experience');
      },
    );

    it('treats n/a as no answer under any question', () => {
      expect(tagger.tag('n/a', IMPROVE)).toEqual([]);
      expect(tagger.tag('N/A', GOOD)).toEqual([]);
    });

    it('does not read a qualified "nothing" as praise', () => {
      const got = codes('Nothing except the parking', IMPROVE);
      expect(got).toContain('parking');
      expect(got).not.toContain('couldnt_be_improved');
    });

    it('does not read "No, the nurse was rude" as nothing to improve', () => {
      const got = codes('No, the nurse was rude', IMPROVE);
      expect(got).not.toContain('couldnt_be_improved');
      expect(got).toContain('staff_manner');
    });
  });

  it('works with any taxonomy, not only the default one', () => {
    const custom = new RuleTagger(
      loadTaxonomy({
        version: 'x',
        themes: [
          {
            code: 'food',
            name: 'Food',
            parentCode: null,
            kind: 'category',
            description: '',
            lexicon: { phrases: ['cup of tea'] },
          },
        ],
      }),
    );
    expect(custom.tag('Lovely cups of tea').map((t) => t.code)).toEqual(['food']);
  });

  it('is fast enough for bulk enrichment', () => {
    const text =
      'The staff were lovely but I waited three hours in A&E and the parking was expensive.';
    const started = Date.now();
    for (let i = 0; i < 2000; i++) tagger.tag(text + i, IMPROVE);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
