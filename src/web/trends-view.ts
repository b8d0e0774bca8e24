import type { TrendsResponseDto } from '../search/dto/report-response.dto';
import { monthLabel } from './labels';

/** A count as the table shows it: a number, or withheld (said in words, never by colour). */
export interface TrendCell {
  n: number | null;
  text: string;
  withheld: boolean;
}

export interface TrendRow {
  code: string;
  name: string;
  cells: TrendCell[];
  total: TrendCell;
}

export interface TrendsTable {
  periods: Array<{ period: string; text: string }>;
  rows: TrendRow[];
  totals: TrendCell[];
  anyWithheld: boolean;
}

function cell(n: number | null): TrendCell {
  return n === null
    ? { n: null, text: '', withheld: true }
    : { n, text: n.toLocaleString('en-GB'), withheld: false };
}

/**
 * The trends answer as a table: one row per theme (most comments first), one column per month,
 * with totals. Without a split there is one series; an empty answer has none.
 */
export function trendsTable(res: TrendsResponseDto): TrendsTable {
  const series = res.series[0];
  const periods = res.periods.map((p) => ({ period: p, text: monthLabel(p) }));
  if (!series) return { periods, rows: [], totals: [], anyWithheld: false };
  const visibleSum = (t: number): number => series.cells.reduce((a, row) => a + (row[t] ?? 0), 0);
  const rows = res.themes.map((theme, t) => ({
    code: theme.code,
    name: theme.name,
    cells: series.cells.map((row) => cell(row[t] ?? null)),
    total: cell(series.themeTotals[t] ?? null),
    rank: series.themeTotals[t] ?? visibleSum(t),
  }));
  rows.sort((a, b) => b.rank - a.rank || a.name.localeCompare(b.name));
  const totals = series.periodTotals.map((n) => cell(n));
  const anyWithheld =
    rows.some((r) => r.total.withheld || r.cells.some((c) => c.withheld)) ||
    totals.some((c) => c.withheld);
  return {
    periods,
    rows: rows.map(({ rank: _rank, ...r }) => r),
    totals,
    anyWithheld,
  };
}

export interface ChartData {
  labels: string[];
  datasets: Array<{ label: string; data: Array<number | null> }>;
}

/** The chart draws the themes with most comments (the table has them all); withheld is a gap. */
export function chartData(table: TrendsTable, themes = 6): ChartData {
  return {
    labels: table.periods.map((p) => monthLabel(p.period, true)),
    datasets: table.rows.slice(0, themes).map((r) => ({
      label: r.name,
      data: r.cells.map((c) => c.n),
    })),
  };
}
