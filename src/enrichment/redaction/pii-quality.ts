import { PII_CORPUS, PiiCorpusCase } from './pii-corpus';
import { redact } from './redactor';
import { PII_TYPES, PiiType } from './redaction.types';

export interface TypeScore {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

export interface PiiQualityReport {
  perType: Record<PiiType, TypeScore>;
  overall: { precision: number; recall: number };
  /** Corpus size, so a report can say what it was measured on. */
  sentences: number;
  lookAlikes: number;
}

interface Span {
  type: PiiType;
  start: number;
  end: number;
}

function expectedSpans(item: PiiCorpusCase): Span[] {
  const spans: Span[] = [];
  const from = new Map<string, number>();
  for (const e of item.expected) {
    const start = item.text.indexOf(e.value, from.get(e.value) ?? 0);
    if (start < 0) throw new Error(`corpus value of type ${e.type} is not in its sentence`);
    from.set(e.value, start + e.value.length);
    spans.push({ type: e.type, start, end: start + e.value.length });
  }
  return spans;
}

const overlaps = (a: Span, b: Span): boolean =>
  a.type === b.type && a.start < b.end && b.start < a.end;

function ratio(num: number, den: number): number {
  return den === 0 ? 1 : num / den;
}

/**
 * Scores `redact` on the synthetic corpus. A found entity counts as a true positive when it
 * overlaps an expected identifier of the same type; anything else it redacts is a false positive.
 */
export function evaluatePiiCorpus(corpus: readonly PiiCorpusCase[] = PII_CORPUS): PiiQualityReport {
  const counts = Object.fromEntries(PII_TYPES.map((t) => [t, { tp: 0, fp: 0, fn: 0 }])) as Record<
    PiiType,
    { tp: number; fp: number; fn: number }
  >;

  for (const item of corpus) {
    const expected = expectedSpans(item);
    const found = redact(item.text).entities;
    for (const f of found) {
      if (expected.some((e) => overlaps(e, f))) counts[f.type].tp++;
      else counts[f.type].fp++;
    }
    for (const e of expected) {
      if (!found.some((f) => overlaps(e, f))) counts[e.type].fn++;
    }
  }

  let tp = 0;
  let fp = 0;
  let fn = 0;
  const perType = {} as Record<PiiType, TypeScore>;
  for (const t of PII_TYPES) {
    const k = counts[t];
    tp += k.tp;
    fp += k.fp;
    fn += k.fn;
    perType[t] = { ...k, precision: ratio(k.tp, k.tp + k.fp), recall: ratio(k.tp, k.tp + k.fn) };
  }
  return {
    perType,
    overall: { precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) },
    sentences: corpus.length,
    lookAlikes: corpus.filter((c) => c.expected.length === 0).length,
  };
}

/** A Markdown table of the report, as printed by the quality command and kept in the docs. */
export function formatPiiReport(report: PiiQualityReport): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `Corpus: ${report.sentences} sentences, ${report.lookAlikes} of them look-alikes with no identifier.`,
    '',
    '| type | TP | FP | FN | precision | recall |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const t of PII_TYPES) {
    const s = report.perType[t];
    lines.push(`| ${t} | ${s.tp} | ${s.fp} | ${s.fn} | ${pct(s.precision)} | ${pct(s.recall)} |`);
  }
  lines.push(
    `| **overall** | | | | ${pct(report.overall.precision)} | ${pct(report.overall.recall)} |`,
  );
  return lines.join('\n');
}

if (require.main === module) {
  console.log(formatPiiReport(evaluatePiiCorpus()));
}
