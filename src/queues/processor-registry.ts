import { Injectable, type OnModuleInit, type Type } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { HANDLED_JOBS_METADATA } from './handles-jobs';
import { ALL_QUEUES, QUEUE_JOBS } from './queue-names';

/** The key under which @nestjs/bullmq's @Processor() records its queue name. */
const PROCESSOR_METADATA = 'bullmq:processor_metadata';

/** A processor as Nest registered it: its class name, its queue and the jobs it handles. */
export interface RegisteredProcessor {
  name: string;
  queue: string;
  jobs: readonly string[];
}

/** The processor a class declares, or undefined when it has no @Processor(queue). */
export function describeProcessor(type: Type<unknown>): RegisteredProcessor | undefined {
  const meta = Reflect.getMetadata(PROCESSOR_METADATA, type) as
    { name?: string } | string | undefined;
  const queue = typeof meta === 'string' ? meta : meta?.name;
  if (!queue) return undefined;
  const jobs = (Reflect.getMetadata(HANDLED_JOBS_METADATA, type) as string[] | undefined) ?? [];
  return { name: type.name, queue, jobs };
}

/**
 * Every queue must have exactly one processor, handling every job name that queue carries and no
 * other: a queue without one would fill up silently, two would split its jobs between different
 * code, and a job name nobody handles would fail every time it ran.
 */
export function checkProcessors(processors: RegisteredProcessor[]): void {
  const byQueue = new Map<string, RegisteredProcessor[]>();
  for (const p of processors) byQueue.set(p.queue, [...(byQueue.get(p.queue) ?? []), p]);
  const problems: string[] = [];
  for (const q of ALL_QUEUES) {
    const found = byQueue.get(q) ?? [];
    if (found.length !== 1) {
      const names = found.map((p) => p.name).join(', ');
      problems.push(
        `queue "${q}" has ${found.length} processors${found.length ? ` (${names})` : ''}`,
      );
      continue;
    }
    const [p] = found;
    for (const job of QUEUE_JOBS[q])
      if (!p.jobs.includes(job)) problems.push(`${p.name} does not handle job "${job}" of "${q}"`);
    for (const job of p.jobs)
      if (!(QUEUE_JOBS[q] as readonly string[]).includes(job))
        problems.push(`${p.name} handles job "${job}", which queue "${q}" does not carry`);
  }
  for (const name of byQueue.keys())
    if (!(ALL_QUEUES as readonly string[]).includes(name))
      problems.push(`processor for unknown queue "${name}"`);
  if (problems.length) throw new Error(`Job processors are miswired: ${problems.join('; ')}`);
}

/** Checks, as the worker starts, the processors Nest actually registered in this process. */
@Injectable()
export class ProcessorCheck implements OnModuleInit {
  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const registered = this.discovery
      .getProviders()
      .map((w) => (w.metatype ? describeProcessor(w.metatype as Type<unknown>) : undefined))
      .filter((p): p is RegisteredProcessor => p !== undefined);
    checkProcessors(registered);
  }
}
