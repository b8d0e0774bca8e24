/**
 * NHS and social-care vocabulary that patients, carers and staff use interchangeably. Each group
 * is a set of equivalent terms; Meilisearch wants a one-directional map, so the groups are
 * expanded with `expandSynonymGroups` (every term maps to every other term of its group).
 *
 * Terms are lower case because Meilisearch matches normalised words and returns the map as
 * stored: lower-case keys keep the live settings identical to these, so `settingsDiff` stays
 * quiet. Multi-word terms are allowed; "A&E" relies on the index `dictionary` keeping it one word.
 *
 * Groups are deliberately narrow. "surgery" is kept with GP because that is how most people name
 * their practice, at the cost of also matching operations. A term belongs to one group only, so
 * expansion never chains unrelated meanings together.
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['gp', 'doctor', 'surgery', 'general practice', 'general practitioner'],
  ['a&e', 'ed', 'emergency department', 'casualty', 'accident and emergency'],
  ['111', 'nhs 111'],
  ['camhs', "children's mental health services", 'child and adolescent mental health services'],
  ['ambulance', 'paramedic', 'paramedics'],
  ['pharmacy', 'chemist', 'pharmacist'],
  ['receptionist', 'reception', 'front desk'],
  ['appointment', 'appt'],
  ['appointments', 'appts'],
  ['physio', 'physiotherapy', 'physiotherapist'],
  ['ot', 'occupational therapy', 'occupational therapist'],
  ['mental health', 'mh'],
  ['midwife', 'midwifery', 'midwives'],
  ['health visitor', 'hv'],
  ['district nurse', 'community nurse'],
  ['dentist', 'dental practice'],
  ['optician', 'optometrist'],
  ['prescription', 'rx'],
  ['medication', 'medicine', 'meds'],
  ['waiting list', 'wait list'],
  ['out of hours', 'ooh'],
  ['social worker', 'social services'],
  ['care home', 'nursing home', 'residential home'],
  ['outpatients', 'outpatient department', 'opd'],
  ['minor injuries unit', 'miu'],
  ['urgent treatment centre', 'utc', 'urgent care centre'],
  ['walk in centre', 'walk-in centre'],
  ['covid', 'coronavirus', 'covid-19'],
  ['vaccination', 'vaccine', 'jab', 'immunisation'],
  ['blood test', 'phlebotomy', 'bloods'],
  ['x-ray', 'xray', 'radiography'],
  ['autism', 'asd', 'autistic spectrum'],
  ['adhd', 'attention deficit'],
  ['learning disability', 'learning disabilities'],
  ['sexual health clinic', 'gum clinic'],
  ['hearing aid', 'audiology'],
  ['telephone', 'phone'],
  ['car park', 'parking'],
  ['wheelchair', 'mobility aid'],
  ['gp practice', 'gp surgery', 'medical centre', 'health centre'],
];

/** The Meilisearch `synonyms` map: each term to the other terms of its group, in group order. */
export function expandSynonymGroups(
  groups: readonly (readonly string[])[],
): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  const owner = new Map<string, number>();
  groups.forEach((group, index) => {
    const terms = group.map((t) => t.trim().toLowerCase());
    if (new Set(terms).size !== terms.length) {
      throw new Error(`Synonym group ${index + 1} repeats a term`);
    }
    for (const term of terms) {
      if (!term) throw new Error(`Synonym group ${index + 1} has an empty term`);
      const seen = owner.get(term);
      if (seen !== undefined) {
        throw new Error(
          `Synonym '${term}' is in groups ${seen + 1} and ${index + 1}: merge them or drop one`,
        );
      }
      owner.set(term, index);
      map[term] = terms.filter((other) => other !== term);
    }
  });
  return map;
}

export const NHS_SYNONYMS: Record<string, string[]> = expandSynonymGroups(SYNONYM_GROUPS);
