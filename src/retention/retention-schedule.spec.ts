import { formatRetentionReport, retentionEveryMs } from './retention-schedule';

describe('retention schedule and report', () => {
  it('runs every RETENTION_SWEEP_INTERVAL_HOURS', () => {
    expect(retentionEveryMs({ RETENTION_SWEEP_INTERVAL_HOURS: 24 })).toBe(86_400_000);
    expect(retentionEveryMs({ RETENTION_SWEEP_INTERVAL_HOURS: 1 })).toBe(3_600_000);
  });

  it('prints each batch and a total', () => {
    const batches = [
      { id: 'b1', organisation: 'hw-kent', retentionUntil: '2020-01-31', insights: 12 },
      { id: 'b2', organisation: 'hw-medway', retentionUntil: '2021-06-30', insights: 1 },
    ];
    expect(formatRetentionReport({ dryRun: false, batches, failed: [] })).toEqual([
      'Deleted batch b1 (hw-kent, retention until 2020-01-31): 12 insights',
      'Deleted batch b2 (hw-medway, retention until 2021-06-30): 1 insight',
      'Deleted 2 batches and 13 insights.',
    ]);
    expect(
      formatRetentionReport({ dryRun: true, batches: batches.slice(0, 1), failed: [] }),
    ).toEqual([
      'Would delete batch b1 (hw-kent, retention until 2020-01-31): 12 insights',
      'Would delete 1 batch and 12 insights.',
    ]);
  });

  it('says when nothing is due and names failures', () => {
    expect(formatRetentionReport({ dryRun: false, batches: [], failed: [] })).toEqual([
      'No batch is past its retention date.',
    ]);
    expect(
      formatRetentionReport({
        dryRun: false,
        batches: [],
        failed: [{ id: 'b3', error: 'QueryFailedError' }],
      }),
    ).toEqual([
      'Could not delete batch b3 (QueryFailedError); the next run tries again',
      'Deleted 0 batches and 0 insights.',
    ]);
  });
});
