import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  phraseSource,
  SAFEGUARDING_CATEGORIES,
  SAFEGUARDING_EXCLUSIONS,
  SAFEGUARDING_LEXICON,
  screenForSafeguarding,
  type SafeguardingCategory,
} from './safeguarding';

describe('safeguarding screening', () => {
  it.each<[string, SafeguardingCategory]>([
    ['Since the diagnosis I have felt suicidal most days', 'suicide_self_harm'],
    ['He told the nurse he wanted to kill himself', 'suicide_self_harm'],
    ['Some days I want to end my life', 'suicide_self_harm'],
    ['She tried to take her own life last year', 'suicide_self_harm'],
    ['I don’t want to live like this any more', 'suicide_self_harm'],
    ['I no longer want to be alive', 'suicide_self_harm'],
    ['My daughter has been self harming again', 'suicide_self_harm'],
    ['He took an overdose in March', 'suicide_self_harm'],
    ['I still cut myself and want to end things', 'suicide_self_harm'],
    ['Honestly everyone would be better off dead without me', 'suicide_self_harm'],
    ['My son hits me when he has been drinking', 'physical_abuse'],
    ['She was physically assaulted in the home', 'physical_abuse'],
    ['I was sexually abused as a child', 'sexual_abuse'],
    ['A member of staff touched me inappropriately', 'sexual_abuse'],
    ['It was emotional abuse, plain and simple', 'emotional_abuse'],
    ['The carer was abusive to my mum', 'emotional_abuse'],
    ['My grandson is stealing my pension', 'financial_abuse'],
    ['This is financial abuse of an old man', 'financial_abuse'],
    ['I am living with domestic violence', 'domestic_abuse'],
    ['I am scared of my husband', 'domestic_abuse'],
    ['I do not feel safe at home', 'domestic_abuse'],
    ['My dad was left in his own urine for hours', 'neglect'],
    ['Mum was neglected on the ward', 'neglect'],
    ['He was not fed for two days', 'neglect'],
    ['She was left without water all afternoon', 'neglect'],
    ['My neighbour threatened to kill me', 'threat_of_harm'],
    ["He said he'll stab them if they come back", 'threat_of_harm'],
    ['I think I might hurt someone', 'threat_of_harm'],
    ['I raised a safeguarding concern and nobody replied', 'safeguarding_named'],
    ['The police did a welfare check on my brother', 'safeguarding_named'],
    ['The baby was left alone in the car park', 'child_at_risk'],
    ['My children are not safe with him', 'child_at_risk'],
    ['She is a victim of modern slavery', 'exploitation'],
    ['He was trafficked into the country', 'exploitation'],
  ])('flags %j as %s', (text, category) => {
    const screen = screenForSafeguarding(text);
    expect(screen.flagged).toBe(true);
    expect(screen.categories).toContain(category);
  });

  it.each([
    // Bare "abuse" is too common in feedback to mean a person at risk (documented choice).
    'People keep up the abuse of the parking spaces for blue badge holders',
    'The drug and alcohol abuse service was helpful',
    'Staff should not have to put up with verbal abuse at reception',
    // Negated in the same clause.
    'I was never abused by anyone there',
    'There was no sign of neglect at all',
    'I am not suicidal, just exhausted',
    'The staff never neglected my mother',
    'She has not self harmed since starting the group',
    // Ordinary uses of the same words.
    'The waiting room looked neglected and tired',
    'Then it hit me that nobody had called back',
    'The appointment wait is killing me',
    'I was starving after waiting six hours',
    'The traffic on the way to the hospital was terrible',
    'The injection did hurt a bit',
    'My mum is in end of life care and the hospice is wonderful',
    'We drove past fields of oilseed rape',
    'Another patient beat me to it and took the last seat',
    'The car park machine took my money without a ticket',
    '',
  ])('does not flag %j', (text) => {
    expect(screenForSafeguarding(text)).toEqual({ flagged: false, categories: [], matches: [] });
  });

  it('keeps the match when the negation belongs to another clause or is emphatic', () => {
    expect(screenForSafeguarding('She did not eat and was neglected').flagged).toBe(true);
    expect(screenForSafeguarding('I have never felt so neglected').flagged).toBe(true);
    expect(screenForSafeguarding('No, my partner hits me').flagged).toBe(true);
  });

  it('gives offsets of every match, in text order, without the words themselves', () => {
    const text = 'I felt suicidal. Later my partner hit me.';
    const screen = screenForSafeguarding(text);
    expect(screen.matches.map((m) => text.slice(m.start, m.end))).toEqual(['suicidal', 'hit me']);
    expect(screen.categories).toEqual(['suicide_self_harm', 'physical_abuse']);
    expect(JSON.stringify(screen)).not.toContain('suicidal');
  });

  it('matches whole words only, in any case, with redaction placeholders in the text', () => {
    expect(screenForSafeguarding('SUICIDE risk was ignored').flagged).toBe(true);
    expect(screenForSafeguarding('Dr [NAME] ignored that [NAME] was self-harming').flagged).toBe(
      true,
    );
    expect(screenForSafeguarding('The unneglected garden').flagged).toBe(false);
    expect(screenForSafeguarding('Grapes and therapists').flagged).toBe(false);
  });

  it('has a valid, non-empty phrase list for every category', () => {
    for (const c of SAFEGUARDING_CATEGORIES) {
      expect(SAFEGUARDING_LEXICON[c].length).toBeGreaterThan(0);
      for (const phrase of SAFEGUARDING_LEXICON[c])
        expect(() => phraseSource(phrase)).not.toThrow();
    }
    for (const phrase of SAFEGUARDING_EXCLUSIONS) expect(() => phraseSource(phrase)).not.toThrow();
  });

  it('is listed in full in docs/safeguarding.md, and the page lists nothing else', () => {
    const doc = fs.readFileSync(
      path.join(__dirname, '..', '..', 'docs', 'safeguarding.md'),
      'utf8',
    );
    const listed = [...doc.slice(doc.indexOf('## The lexicon')).matchAll(/^- `(.+)`$/gm)].map(
      (m) => m[1],
    );
    const phrases = [
      ...SAFEGUARDING_CATEGORIES.flatMap((c) => SAFEGUARDING_LEXICON[c]),
      ...SAFEGUARDING_EXCLUSIONS,
    ];
    expect([...listed].sort()).toEqual([...phrases].sort());
    for (const c of SAFEGUARDING_CATEGORIES) expect(doc).toContain(`### \`${c}\``);
  });

  it.each(['[own] life', 'take // life', 'take my [] life'])(
    'refuses the malformed phrase %j',
    (phrase) => {
      expect(() => phraseSource(phrase)).toThrow(/phrase/i);
    },
  );
});
