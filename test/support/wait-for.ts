/**
 * Waits for a condition instead of a fixed time: calls `fn` every `everyMs` until it returns a value
 * other than `undefined` or `false`, and returns that value. An error thrown by `fn` counts as "not
 * yet" and is named in the time-out, which says what was waited for (`what`), so a slow or broken
 * condition fails with a message instead of a bare test time-out.
 */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 30000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
