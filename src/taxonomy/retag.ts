import type { InsightTheme } from '../insights/insight.entity';

/**
 * The themes an insight should carry after its rules are re-run: a person's tags stay exactly as
 * they are; model tags stay while their theme is active and not rejected; rule tags are replaced
 * by the fresh ones, except themes a person rejected.
 */
export function mergeRetag(
  current: readonly InsightTheme[],
  freshRuleTags: readonly InsightTheme[],
  isActive: (code: string) => boolean,
  rejected: ReadonlySet<string>,
): InsightTheme[] {
  const human = current.filter((t) => t.provenance === 'human');
  const taken = new Set(human.map((t) => t.code));
  const out: InsightTheme[] = [...human];
  const keep = (t: InsightTheme) => {
    if (taken.has(t.code) || rejected.has(t.code) || !isActive(t.code)) return;
    taken.add(t.code);
    out.push(t);
  };
  freshRuleTags.forEach(keep);
  current.filter((t) => t.provenance === 'model').forEach(keep);
  return out;
}

/** Same codes with the same provenance and confidence, in any order. */
export function sameThemes(a: readonly InsightTheme[], b: readonly InsightTheme[]): boolean {
  const key = (ts: readonly InsightTheme[]) =>
    ts
      .map((t) => `${t.code}|${t.provenance}|${t.confidence}`)
      .sort()
      .join(',');
  return key(a) === key(b);
}
