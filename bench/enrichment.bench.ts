/**
 * Throughput of the enrich step (redact + place + demographics + language) on one core.
 * Run: npx ts-node --transpile-only bench/enrichment.bench.ts [count]
 */
import { cpus } from 'os';
import { Enricher, EnrichInput } from '../src/enrichment/enrich';
import { normaliseDemographics } from '../src/enrichment/demographics/demographics';
import { detectLanguage } from '../src/enrichment/language/language-detector';
import { loadPlaceHierarchy } from '../src/enrichment/places/place-hierarchy';
import { PlaceResolver } from '../src/enrichment/places/place-resolver';
import { redact } from '../src/enrichment/redaction/redactor';

const COUNT = Number(process.argv[2] ?? 50_000);

/** Deterministic pseudo-random numbers, so every run measures the same comments. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPENINGS = [
  'The staff were lovely and explained everything clearly.',
  'I waited over four hours in A&E with my elderly mother and nobody offered her water.',
  'Getting a GP appointment is impossible, you ring at 8am and they are all gone by 8.05.',
  'The nurse on the ward was kind but clearly overworked.',
  'Parking at the hospital is expensive and there are never any spaces.',
  'My son has been on the waiting list for an autism assessment for two years.',
  'Reception were rude when I asked why my prescription was late again.',
  'The physio was brilliant and I am walking without a stick now.',
  'Nobody told us what was happening and the discharge took all day.',
  'Very quick service, in and out in twenty minutes.',
  'Bardzo długo czekałam na wizytę, ale lekarz był bardzo miły.',
  'Am așteptat foarte mult la spital și nimeni nu mi-a spus nimic.',
];
const EXTRAS = [
  '',
  '',
  '',
  ' We live in Sittingbourne and the bus takes an hour.',
  ' Dr Patel was the only one who listened.',
  ' Please call me on 07700 900123 if you want to know more.',
  ' My NHS number is 401 023 2137 and the letter had the wrong one.',
  ' I am at ME10 4DD, 14 Station Road.',
  ' The receptionist called Sharon was very helpful.',
  ' It was a good deal better than last year at Margate.',
  ' Email me at jo.bloggs@example.com.',
  ' Took 10mg at 10:30, ward 7, bed 12, parking £20.',
];
const FIELDS: Array<Record<string, string>> = [
  {},
  { postcode: 'CT9 1XY', age: '45', sex: 'F', ethnicity: 'White British' },
  {
    postcodeDistrict: 'ME7',
    age: '1962',
    sex: 'Male',
    ethnicity: 'Asian or Asian British: Pakistani',
    carer: 'No',
  },
  {
    district: 'Tunbridge Wells',
    age: '25-34',
    gender: 'Non-binary',
    disability: 'Yes, limited a lot',
  },
  {
    practiceCode: 'G82002',
    service: 'Margate Health Centre',
    religion: 'C of E',
    sexuality: 'Straight',
  },
  { age: 'Prefer not to say', sex: 'N/K', ethnicity: 'Z', deprivationDecile: '3' },
];

function makeComments(n: number): EnrichInput[] {
  const r = rng(20240601);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const out: EnrichInput[] = [];
  for (let i = 0; i < n; i++) {
    const sentences = 1 + Math.floor(r() * 3);
    let text = '';
    for (let s = 0; s < sentences; s++) text += (s ? ' ' : '') + pick(OPENINGS);
    text += pick(EXTRAS);
    out.push({
      text,
      question: r() < 0.3 ? 'What could we do better?' : undefined,
      fields: pick(FIELDS),
      referenceYear: 2025,
    });
  }
  return out;
}

function time(label: string, n: number, fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rate = n / seconds;
  console.log(
    `${label.padEnd(28)} ${rate.toFixed(0).padStart(8)} comments/s  (${seconds.toFixed(2)} s)`,
  );
  return rate;
}

function main(): void {
  const comments = makeComments(COUNT);
  const resolver = new PlaceResolver(loadPlaceHierarchy());
  const enricher = new Enricher(resolver);
  const avgChars = comments.reduce((a, c) => a + c.text.length, 0) / comments.length;

  // Warm-up so the figures measure optimised code, as in a long-running worker.
  for (const c of comments.slice(0, 2000)) enricher.enrich(c);

  const cpu = cpus()[0]?.model ?? 'unknown';
  console.log(`${COUNT} synthetic comments, mean ${avgChars.toFixed(0)} characters`);
  console.log(`CPU: ${cpu}; ${cpus().length} logical cores available, benchmark uses one`);
  console.log(`Node ${process.version}`);
  let sink = 0;
  time('redact', COUNT, () => {
    for (const c of comments) sink += redact(c.text).entities.length;
  });
  time('place (text + fields)', COUNT, () => {
    for (const c of comments)
      sink += resolver.resolve({ ...c.fields, text: c.text }).resolvedBy.length;
  });
  time('demographics', COUNT, () => {
    for (const c of comments) sink += normaliseDemographics(c.fields).unrecognised.length;
  });
  time('language', COUNT, () => {
    for (const c of comments) sink += detectLanguage(c.text).language.length;
  });
  const rate = time('enrich (all of the above)', COUNT, () => {
    for (const c of comments) sink += enricher.enrich(c).text.length;
  });
  console.log(`result: ${rate.toFixed(0)} comments/s on one core (check ${sink % 10})`);
}

main();
