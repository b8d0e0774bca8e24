import type { Type } from '@nestjs/common';
import { ALL_QUEUES } from './queue-names';

/** The key under which @nestjs/bullmq's @Processor() records its queue name. */
const PROCESSOR_METADATA = 'bullmq:processor_metadata';

/**
 * Every queue must have exactly one processor: a queue without one would fill up silently, two
 * would split its jobs between different code. Checked when a worker starts.
 */
export function checkProcessors(processors: Array<Type<unknown>>): void {
  const byQueue = new Map<string, string[]>();
  for (const p of processors) {
    const meta = Reflect.getMetadata(PROCESSOR_METADATA, p) as
      { name?: string } | string | undefined;
    const name = typeof meta === 'string' ? meta : meta?.name;
    if (!name)
      throw new Error(`${p.name} is listed as a processor but has no @Processor(queue) decorator`);
    byQueue.set(name, [...(byQueue.get(name) ?? []), p.name]);
  }
  const problems: string[] = [];
  for (const q of ALL_QUEUES) {
    const found = byQueue.get(q) ?? [];
    if (found.length !== 1)
      problems.push(
        `queue "${q}" has ${found.length} processors${found.length ? ` (${found.join(', ')})` : ''}`,
      );
  }
  for (const name of byQueue.keys())
    if (!(ALL_QUEUES as readonly string[]).includes(name))
      problems.push(`processor for unknown queue "${name}"`);
  if (problems.length) throw new Error(`Job processors are miswired: ${problems.join('; ')}`);
}
