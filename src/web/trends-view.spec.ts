import type { TrendsResponseDto } from '../search/dto/report-response.dto';
import { chartData, trendsTable } from './trends-view';

const answer: TrendsResponseDto = {
  interval: 'month',
  by: 'theme',
  total: 60,
  periods: ['2024-02-01', '2024-03-01'],
  themes: [
    { code: 'access', name: 'Access' },
    { code: 'staff', name: 'Staff attitude' },
  ] as TrendsResponseDto['themes'],
  series: [
    {
      cells: [
        [12, null],
        [30, 15],
      ],
      periodTotals: [null, 45],
      themeTotals: [42, null],
    },
  ],
  suppressionApplied: true,
};

describe('trendsTable', () => {
  it('puts themes with most comments first and marks withheld counts', () => {
    const t = trendsTable(answer);
    expect(t.periods.map((p) => p.text)).toEqual(['February 2024', 'March 2024']);
    expect(t.rows.map((r) => r.name)).toEqual(['Access', 'Staff attitude']);
    expect(t.rows[0].cells.map((c) => c.text)).toEqual(['12', '30']);
    expect(t.rows[1].cells).toEqual([
      { n: null, text: '', withheld: true },
      { n: 15, text: '15', withheld: false },
    ]);
    expect(t.rows[1].total.withheld).toBe(true);
    expect(t.totals.map((c) => c.withheld)).toEqual([true, false]);
    expect(t.anyWithheld).toBe(true);
  });

  it('ranks a theme whose total is withheld by the counts it shows', () => {
    const bigHidden = {
      ...answer,
      series: [{ ...answer.series[0], themeTotals: [10, null] }],
    };
    expect(trendsTable(bigHidden).rows.map((r) => r.code)).toEqual(['staff', 'access']);
  });

  it('has no rows when nothing matched', () => {
    expect(trendsTable({ ...answer, periods: [], themes: [], series: [] }).rows).toEqual([]);
  });
});

describe('chartData', () => {
  it('draws the top themes, with a gap where a count is withheld', () => {
    expect(chartData(trendsTable(answer), 1)).toEqual({
      labels: ['Feb 2024', 'Mar 2024'],
      datasets: [{ label: 'Access', data: [12, 30] }],
    });
    expect(chartData(trendsTable(answer)).datasets[1].data).toEqual([null, 15]);
  });
});
