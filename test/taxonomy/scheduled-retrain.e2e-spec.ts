import type { INestApplication } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { actorFor } from '../../src/access/actor';
import { systemPrincipal } from '../../src/access/principal';
import { PipelineQueues } from '../../src/queues/pipeline-queues';
import { JOB_NAMES, QUEUE_NAMES } from '../../src/queues/queue-names';
import { InsightReviewService } from '../../src/taxonomy/insight-review.service';
import { RETRAIN_SCHEDULER_ID } from '../../src/taxonomy/retrain-schedule';
import { createTestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { importComments, insightsOf, resetBank, type StoredInsight } from './taxonomy-support';

/** A reviewer acting for the bank: sees every insight, and names itself in tag events. */
const REVIEWER = actorFor(systemPrincipal('reviewer@test'));

const MODEL = 'scheduled-themes';
const HOUR_MS = 3_600_000;

/**
 * The worker (in this process, with the api) retrains on its own when TAGGER_RETRAIN_MODEL is
 * set. BullMQ's job scheduler runs a new or changed schedule at once, then every interval; the
 * steps below restart the bank with a changed interval to get a run now rather than in hours.
 */
describe('scheduled retraining from reviewed insights', () => {
  const saved = { ...process.env };
  let app: INestApplication | undefined;
  let rows: StoredInsight[];

  async function start(schedule: { model?: string; hours?: number }): Promise<INestApplication> {
    await app?.close();
    app = undefined;
    process.env.TAGGER_RETRAIN_MODEL = schedule.model ?? '';
    process.env.TAGGER_RETRAIN_INTERVAL_HOURS = String(schedule.hours ?? 24);
    app = await createTestApp();
    return app;
  }
  const bank = () => app!;
  const maintenance = () => bank().get(PipelineQueues).queue(QUEUE_NAMES.maintenance);

  async function finishedRuns(): Promise<Job[]> {
    const jobs = await maintenance().getJobs(['completed', 'failed']);
    return jobs
      .filter((j) => j.name === JOB_NAMES.retrain)
      .sort((a, b) => (a.finishedOn ?? 0) - (b.finishedOn ?? 0));
  }
  const waitForRuns = (n: number) =>
    waitFor(
      `${n} scheduled retrain run(s) to finish`,
      async () => {
        const runs = await finishedRuns();
        return runs.length >= n ? runs : undefined;
      },
      90000,
      200,
    );
  const versions = () =>
    bank()
      .get(DataSource)
      .query<Array<{ version: number; active: boolean; trained_on: string }>>(
        `SELECT version, active, trained_on FROM tagger_model WHERE name = $1 ORDER BY version`,
        [MODEL],
      );
  const review = (insight: StoredInsight, theme: string) =>
    bank().get(InsightReviewService).reviewTag(insight.id, 'add', theme, REVIEWER);
  const themeFor = (r: StoredInsight) =>
    r.text.includes('wibble') ? 'digital_access' : 'food_and_drink';

  afterAll(async () => {
    await app?.close();
    process.env = saved;
  });

  it('with the schedule off there is no scheduler', async () => {
    await start({});
    await resetBank(bank());
    rows = await importComments(bank(), 'to-review.csv', [
      ...Array.from({ length: 10 }, (_, i) => `The wibble sprocket number ${i} stopped again`),
      ...Array.from({ length: 10 }, (_, i) => `Gloopy wobble flan serving ${i} was odd`),
    ]);
    await review(rows[0], themeFor(rows[0]));
    expect(await maintenance().getJobScheduler(RETRAIN_SCHEDULER_ID)).toBeUndefined();
    expect(await finishedRuns()).toEqual([]);
  });

  it('turned on, it runs at once; too few reviews is a skip, not a failure', async () => {
    const before = Date.now();
    await start({ model: MODEL, hours: 24 });
    const [run] = await waitForRuns(1);
    expect(await run.getState()).toBe('completed');
    expect(run.returnvalue).toEqual({
      model: MODEL,
      outcome: 'skipped',
      reason: 'not_enough_reviews',
    });
    expect(await versions()).toEqual([]);

    const scheduler = await maintenance().getJobScheduler(RETRAIN_SCHEDULER_ID);
    expect(scheduler).toMatchObject({ name: JOB_NAMES.retrain, every: 24 * HOUR_MS });
    expect(scheduler?.template?.data).toEqual({ model: MODEL });
    expect(scheduler?.next).toBeGreaterThanOrEqual(before + 24 * HOUR_MS - 60_000);
  });

  it('reviewed insights lead the worker to a new active model version that tags new comments', async () => {
    for (const r of rows.slice(1)) await review(r, themeFor(r));
    await start({ model: MODEL, hours: 12 });
    const runs = await waitForRuns(2);
    expect(runs[1].returnvalue).toMatchObject({ model: MODEL, outcome: 'trained', version: 1 });
    expect(await versions()).toEqual([
      { version: 1, active: true, trained_on: 'reviewed insights' },
    ]);

    const [fresh] = await importComments(bank(), 'after-retrain.csv', [
      'Another wibble sprocket stopped today',
    ]);
    expect(fresh.themes).toContainEqual(
      expect.objectContaining({ code: 'digital_access', provenance: 'model' }),
    );
  });

  it('with no review since that version, a run makes no new version', async () => {
    await start({ model: MODEL, hours: 6 });
    const runs = await waitForRuns(3);
    expect(await runs[2].getState()).toBe('completed');
    expect(runs[2].returnvalue).toEqual({
      model: MODEL,
      outcome: 'skipped',
      reason: 'no_new_reviews',
    });
    expect(await versions()).toEqual([
      { version: 1, active: true, trained_on: 'reviewed insights' },
    ]);
  });

  it('a restart with the same schedule keeps its next run instead of running again', async () => {
    const next = (await maintenance().getJobScheduler(RETRAIN_SCHEDULER_ID))?.next;
    await start({ model: MODEL, hours: 6 });
    expect((await maintenance().getJobScheduler(RETRAIN_SCHEDULER_ID))?.next).toBe(next);
    const pending = (await maintenance().getJobs(['delayed', 'waiting', 'active'])).filter(
      (j) => j.name === JOB_NAMES.retrain,
    );
    expect(pending).toHaveLength(1);
    expect(await pending[0].getState()).toBe('delayed');
    expect(await finishedRuns()).toHaveLength(3);
  });

  it('a new review brings the next run to retrain', async () => {
    const fresh = (await insightsOf(bank())).find((r) => r.text.startsWith('Another wibble'))!;
    await bank()
      .get(InsightReviewService)
      .reviewTag(fresh.id, 'accept', 'digital_access', REVIEWER);
    await start({ model: MODEL, hours: 3 });
    const runs = await waitForRuns(4);
    expect(runs[3].returnvalue).toMatchObject({ model: MODEL, outcome: 'trained', version: 2 });
    expect(await versions()).toEqual([
      { version: 1, active: false, trained_on: 'reviewed insights' },
      { version: 2, active: true, trained_on: 'reviewed insights' },
    ]);
  });

  it('turned off again, the scheduler and its pending run are removed', async () => {
    expect(await maintenance().getJobScheduler(RETRAIN_SCHEDULER_ID)).toBeDefined();
    await start({});
    expect(await maintenance().getJobScheduler(RETRAIN_SCHEDULER_ID)).toBeUndefined();
    const pending = (await maintenance().getJobs(['delayed', 'waiting'])).filter(
      (j) => j.name === JOB_NAMES.retrain,
    );
    expect(pending).toEqual([]);
  });
});
