import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import { DiscoveryModule } from '@nestjs/core';
import { EnrichProcessor } from '../enrichment/enrich.processor';
import { IngestProcessor } from '../batches/intake/ingest.processor';
import { MaintenanceProcessor } from '../maintenance/maintenance.processor';
import { IndexProcessor } from '../search/indexing/index.processor';
import { HandlesJobs } from './handles-jobs';
import {
  checkProcessors,
  describeProcessor,
  ProcessorCheck,
  type RegisteredProcessor,
} from './processor-registry';
import { JOB_NAMES } from './queue-names';

@Processor('ingest')
@HandlesJobs(JOB_NAMES.ingestBatch)
class SecondIngest extends WorkerHost {
  process(): Promise<void> {
    return Promise.resolve();
  }
}

const WIRED = [IngestProcessor, EnrichProcessor, IndexProcessor, MaintenanceProcessor];

function described(types: Array<new (...args: never[]) => unknown>): RegisteredProcessor[] {
  return types.map((t) => describeProcessor(t)!);
}

describe('checkProcessors', () => {
  it('accepts the worker as wired: one processor per queue, handling every job of its queue', () => {
    expect(() => checkProcessors(described(WIRED))).not.toThrow();
  });

  it('names a queue with no processor, and one with two', () => {
    expect(() =>
      checkProcessors(described([IngestProcessor, EnrichProcessor, MaintenanceProcessor])),
    ).toThrow('queue "index" has 0 processors');
    expect(() => checkProcessors(described([...WIRED, SecondIngest]))).toThrow(
      'queue "ingest" has 2 processors (IngestProcessor, SecondIngest)',
    );
  });

  it('names a job its queue carries that the processor does not handle, and one it does not carry', () => {
    const index = describeProcessor(IndexProcessor)!;
    const others = described([IngestProcessor, EnrichProcessor, MaintenanceProcessor]);
    expect(() => checkProcessors([...others, { ...index, jobs: [JOB_NAMES.drain] }])).toThrow(
      'IndexProcessor does not handle job "drain-outbox-full" of "index"',
    );
    expect(() =>
      checkProcessors([...others, { ...index, jobs: [...index.jobs, JOB_NAMES.sweep] }]),
    ).toThrow('IndexProcessor handles job "sweep", which queue "index" does not carry');
  });
});

describe('ProcessorCheck', () => {
  it('reads the processors Nest registered, not a list kept by hand', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [DiscoveryModule],
      providers: [ProcessorCheck, SecondIngest],
    }).compile();
    let message = '';
    try {
      moduleRef.get(ProcessorCheck).onModuleInit();
    } catch (e) {
      message = (e as Error).message;
    }
    // SecondIngest was found as the ingest queue's one processor; the other queues have none.
    expect(message).toContain('queue "enrich" has 0 processors');
    expect(message).toContain('queue "maintenance" has 0 processors');
    expect(message).not.toContain('queue "ingest"');
  });
});
