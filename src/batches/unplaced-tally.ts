/**
 * Counts the demographic answers a batch could not place, per field and answer, and keeps the
 * most frequent few: what a partner needs to see to map its codes, and no more. Answers given
 * here are already de-identified and cut short.
 */
export class UnplacedTally {
  private readonly counts = new Map<string, Map<string, number>>();

  add(field: string, value: string, n = 1): void {
    if (value === '' || n <= 0) return;
    let byValue = this.counts.get(field);
    if (!byValue) this.counts.set(field, (byValue = new Map<string, number>()));
    byValue.set(value, (byValue.get(value) ?? 0) + n);
  }

  /** Adds a chunk's tally as stored (field -> answer -> comments). */
  addAll(stored: Record<string, Record<string, number>> | null | undefined): void {
    for (const [field, values] of Object.entries(stored ?? {}))
      for (const [value, n] of Object.entries(values))
        if (typeof n === 'number') this.add(field, value, n);
  }

  /** Field -> answer -> comments, at most `perField` answers a field, the most frequent kept. */
  top(perField: number): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const field of [...this.counts.keys()].sort())
      out[field] = Object.fromEntries(this.ranked(field).slice(0, perField));
    return out;
  }

  /** Field -> [{ value, count }], most frequent first (ties in alphabetical order). */
  list(perField: number): Record<string, Array<{ value: string; count: number }>> {
    const out: Record<string, Array<{ value: string; count: number }>> = {};
    for (const field of [...this.counts.keys()].sort())
      out[field] = this.ranked(field)
        .slice(0, perField)
        .map(([value, count]) => ({ value, count }));
    return out;
  }

  get empty(): boolean {
    return this.counts.size === 0;
  }

  private ranked(field: string): Array<[string, number]> {
    return [...(this.counts.get(field) ?? new Map<string, number>())].sort(
      ([a, x], [b, y]) => y - x || a.localeCompare(b),
    );
  }
}
