import { Injectable, type OnModuleDestroy } from '@nestjs/common';

/**
 * Tells long-running jobs that the process is stopping, before BullMQ closes the workers, so they
 * can release their job (it is retried at once elsewhere) instead of holding shutdown up.
 */
@Injectable()
export class WorkerShutdown implements OnModuleDestroy {
  private readonly controller = new AbortController();

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  onModuleDestroy(): void {
    this.controller.abort();
  }
}
