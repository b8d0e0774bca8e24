import type { TrendInterval } from './insights-query.repository';

const STEP_MONTHS: Record<Exclude<TrendInterval, 'week'>, number> = { month: 1, quarter: 3 };

/**
 * Every period from the first to the last given, in order (`yyyy-mm-dd`, each the start of its
 * week, month or quarter as PostgreSQL's date_trunc gives it). A chart or table of the periods
 * that had comments would put December next to February and hide the empty January.
 */
export function everyPeriod(periods: readonly string[], interval: TrendInterval): string[] {
  if (periods.length === 0) return [];
  const sorted = [...periods].sort();
  const last = sorted[sorted.length - 1];
  const out: string[] = [];
  const at = new Date(`${sorted[0]}T00:00:00Z`);
  // A bound on the loop, should a period ever not line up with the interval.
  for (let i = 0; i < 100_000; i++) {
    const period = at.toISOString().slice(0, 10);
    if (period > last) break;
    out.push(period);
    if (interval === 'week') at.setUTCDate(at.getUTCDate() + 7);
    else at.setUTCMonth(at.getUTCMonth() + STEP_MONTHS[interval]);
  }
  // Anything given that the steps did not reach stays, so no count can be dropped.
  return [...new Set([...out, ...sorted])].sort();
}
