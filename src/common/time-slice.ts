import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Lets a long synchronous loop hand the event loop back now and then, so timers (BullMQ's lock
 * renewal among them) and I/O keep running while it works:
 *
 *   const slice = new TimeSlice(50);
 *   for (const item of items) { work(item); if (slice.spent()) await slice.yield(); }
 *
 * Measured by time, not by count, because the cost of one item varies a hundredfold (a comment of
 * 20,000 characters takes about as long as a hundred short ones).
 */
export class TimeSlice {
  private started = performance.now();

  constructor(private readonly budgetMs: number) {}

  /** True once the work since the last yield has run for the budget or longer. */
  spent(): boolean {
    return performance.now() - this.started >= this.budgetMs;
  }

  async yield(): Promise<void> {
    await nextTurn();
    this.started = performance.now();
  }
}
