import { seededRandom, shuffleInPlace } from '../../common/seeded-random';

export interface LabelMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface MultiLabelReport {
  n: number;
  perLabel: Record<string, LabelMetrics>;
  microF1: number;
  macroF1: number;
  /** Share of comments whose predicted label set equals the gold set exactly. */
  exactMatch: number;
  /** Only when every gold row has one label: share whose first prediction is that label. */
  accuracyTop1?: number;
  /**
   * Mean per-class recall over labels present in the gold data (balanced accuracy). Unlike plain
   * accuracy it is not lifted by doing well on the largest classes only.
   */
  classBalanceAccuracy: number;
  /**
   * Only for single-label gold data: Mosley's class balance accuracy, the mean over classes of
   * correct / max(gold count, predicted count), top-1. Stricter than balanced accuracy because it
   * also punishes over-predicting a class; some published baselines use this definition.
   */
  mosleyClassBalanceAccuracy?: number;
}

function safeDiv(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/**
 * Scores multi-label predictions against gold labels. `predicted` rows are ordered most likely
 * first, which is what top-1 accuracy reads.
 */
export function evaluateMultiLabel(gold: string[][], predicted: string[][]): MultiLabelReport {
  if (gold.length !== predicted.length) {
    throw new Error(`gold has ${gold.length} rows but predictions have ${predicted.length}`);
  }
  const labels = [...new Set([...gold.flat(), ...predicted.flat()])].sort();
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  let exact = 0;
  gold.forEach((g, i) => {
    const gs = new Set(g);
    const ps = new Set(predicted[i]);
    for (const p of ps) inc(gs.has(p) ? tp : fp, p);
    for (const x of gs) if (!ps.has(x)) inc(fn, x);
    if (gs.size === ps.size && [...gs].every((x) => ps.has(x))) exact++;
  });

  const perLabel: Record<string, LabelMetrics> = {};
  let sumTp = 0;
  let sumFp = 0;
  let sumFn = 0;
  for (const l of labels) {
    const t = tp.get(l) ?? 0;
    const f = fp.get(l) ?? 0;
    const m = fn.get(l) ?? 0;
    sumTp += t;
    sumFp += f;
    sumFn += m;
    const precision = safeDiv(t, t + f);
    const recall = safeDiv(t, t + m);
    perLabel[l] = {
      precision,
      recall,
      f1: safeDiv(2 * precision * recall, precision + recall),
      support: t + m,
    };
  }
  const present = labels.filter((l) => perLabel[l].support > 0);
  const microP = safeDiv(sumTp, sumTp + sumFp);
  const microR = safeDiv(sumTp, sumTp + sumFn);
  const report: MultiLabelReport = {
    n: gold.length,
    perLabel,
    microF1: safeDiv(2 * microP * microR, microP + microR),
    macroF1: safeDiv(
      present.reduce((s, l) => s + perLabel[l].f1, 0),
      present.length,
    ),
    exactMatch: safeDiv(exact, gold.length),
    classBalanceAccuracy: safeDiv(
      present.reduce((s, l) => s + perLabel[l].recall, 0),
      present.length,
    ),
  };

  if (gold.length > 0 && gold.every((g) => g.length === 1)) {
    let correct = 0;
    const goldCount = new Map<string, number>();
    const predCount = new Map<string, number>();
    const hit = new Map<string, number>();
    gold.forEach((g, i) => {
      const top = predicted[i][0];
      inc(goldCount, g[0]);
      if (top !== undefined) inc(predCount, top);
      if (top === g[0]) {
        correct++;
        inc(hit, g[0]);
      }
    });
    report.accuracyTop1 = correct / gold.length;
    const classes = [...goldCount.keys()];
    report.mosleyClassBalanceAccuracy =
      classes.reduce(
        (s, c) =>
          s + safeDiv(hit.get(c) ?? 0, Math.max(goldCount.get(c) ?? 0, predCount.get(c) ?? 0)),
        0,
      ) / classes.length;
  }
  return report;
}

export function sentimentAccuracy(gold: string[], predicted: string[]): number {
  if (gold.length !== predicted.length) {
    throw new Error(`gold has ${gold.length} rows but predictions have ${predicted.length}`);
  }
  return safeDiv(
    gold.reduce((s, g, i) => s + (g === predicted[i] ? 1 : 0), 0),
    gold.length,
  );
}

export interface Split<T> {
  train: T[];
  test: T[];
}

/** Rows of one group (e.g. an organisation) become the test set; every other row trains. */
export function splitByGroup<T>(rows: T[], key: (r: T) => string, testGroup: string): Split<T> {
  const train: T[] = [];
  const test: T[] = [];
  for (const r of rows) (key(r) === testGroup ? test : train).push(r);
  return { train, test };
}

/**
 * Seeded random split. With `groupKey`, rows sharing a key (e.g. identical texts) land on the same
 * side, so a repeated comment cannot be learnt in training and then "predicted" in testing.
 */
export function randomSplit<T>(
  rows: T[],
  testFraction: number,
  seed: number,
  groupKey?: (r: T) => string,
): Split<T> {
  if (!(testFraction > 0 && testFraction < 1))
    throw new Error('testFraction must be between 0 and 1');
  const keyOf = groupKey ?? ((_: T) => '');
  const groups = new Map<string, T[]>();
  rows.forEach((r, i) => {
    const k = groupKey ? keyOf(r) : String(i);
    const list = groups.get(k) ?? [];
    list.push(r);
    groups.set(k, list);
  });
  const order = shuffleInPlace([...groups.keys()], seededRandom(seed));
  const target = Math.round(rows.length * testFraction);
  const train: T[] = [];
  const test: T[] = [];
  for (const k of order) {
    const list = groups.get(k) ?? [];
    (test.length < target ? test : train).push(...list);
  }
  return { train, test };
}

function pct(n: number | undefined): string {
  return n === undefined ? '–' : n.toFixed(3);
}

export interface ReportBaseline {
  name: string;
  accuracy?: number;
  classBalanceAccuracy?: number;
}

/** A Markdown table of per-label and overall figures, as printed by the CLI and kept in the docs. */
export function formatReport(
  title: string,
  report: MultiLabelReport,
  baseline?: ReportBaseline,
): string {
  const lines = [
    `#### ${title}`,
    '',
    `n = ${report.n}`,
    '',
    '| label | precision | recall | F1 | support |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const [label, m] of Object.entries(report.perLabel)) {
    lines.push(
      `| ${label} | ${pct(m.precision)} | ${pct(m.recall)} | ${pct(m.f1)} | ${m.support} |`,
    );
  }
  lines.push(
    '',
    '| measure | value |' + (baseline ? ` ${baseline.name} |` : ''),
    '|---|---:|' + (baseline ? '---:|' : ''),
  );
  const row = (name: string, value: number | undefined, base?: number) =>
    lines.push(`| ${name} | ${pct(value)} |` + (baseline ? ` ${pct(base)} |` : ''));
  row('accuracy (top-1)', report.accuracyTop1, baseline?.accuracy);
  row(
    'class-balance accuracy (mean recall)',
    report.classBalanceAccuracy,
    baseline?.classBalanceAccuracy,
  );
  row(
    'class-balance accuracy (Mosley)',
    report.mosleyClassBalanceAccuracy,
    baseline?.classBalanceAccuracy,
  );
  row('micro F1', report.microF1);
  row('macro F1', report.macroF1);
  row('exact match', report.exactMatch);
  return lines.join('\n');
}
