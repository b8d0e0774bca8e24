import { performance } from 'node:perf_hooks';
import { TimeSlice } from './time-slice';

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/** Runs `items` busy steps of 1 ms and counts how often a 1 ms interval timer fired meanwhile. */
async function timerTicksDuring(items: number, slice?: TimeSlice): Promise<number> {
  let ticks = 0;
  const timer = setInterval(() => (ticks += 1), 1);
  try {
    for (let i = 0; i < items; i++) {
      busy(1);
      if (slice?.spent()) await slice.yield();
    }
    return ticks;
  } finally {
    clearInterval(timer);
  }
}

describe('TimeSlice', () => {
  it('is spent once the budget has run, and fresh again after a yield', async () => {
    const slice = new TimeSlice(20);
    expect(slice.spent()).toBe(false);
    busy(25);
    expect(slice.spent()).toBe(true);
    await slice.yield();
    expect(slice.spent()).toBe(false);
  });

  it('lets timers run during a long loop, which they cannot without it', async () => {
    expect(await timerTicksDuring(150)).toBe(0);
    expect(await timerTicksDuring(150, new TimeSlice(10))).toBeGreaterThanOrEqual(5);
  });
});
