import { Processor, WorkerHost } from '@nestjs/bullmq';
import { EnrichProcessor } from '../enrichment/enrich.processor';
import { IngestProcessor } from '../ingest/ingest.processor';
import { MaintenanceProcessor } from '../maintenance/maintenance.processor';
import { IndexProcessor } from '../search/indexing/index.processor';
import { WORKER_PROCESSORS } from '../workers.module';
import { checkProcessors } from './processor-registry';

@Processor('ingest')
class SecondIngest extends WorkerHost {
  process(): Promise<void> {
    return Promise.resolve();
  }
}

describe('checkProcessors', () => {
  it('accepts the worker as wired: one processor per queue', () => {
    expect(WORKER_PROCESSORS).toEqual(
      expect.arrayContaining([
        IngestProcessor,
        EnrichProcessor,
        IndexProcessor,
        MaintenanceProcessor,
      ]),
    );
    expect(() => checkProcessors(WORKER_PROCESSORS)).not.toThrow();
  });

  it('names a queue with no processor, and one with two', () => {
    expect(() => checkProcessors([IngestProcessor, EnrichProcessor, MaintenanceProcessor])).toThrow(
      'queue "index" has 0 processors',
    );
    expect(() => checkProcessors([...WORKER_PROCESSORS, SecondIngest])).toThrow(
      'queue "ingest" has 2 processors (IngestProcessor, SecondIngest)',
    );
  });
});
