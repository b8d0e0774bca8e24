import { Inject, Injectable, Logger } from '@nestjs/common';
import { systemPrincipal, type Principal } from '../access/principal';
import type { Actor } from '../access/actor';
import { AuditService } from '../audit/audit.service';
import { BatchesRepository } from '../batches/batches.repository';
import { FileStore } from '../batches/file-store';
import { DomainError } from '../common/domain-error';
import { redactField } from '../enrichment/redaction/redactor';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { JOB_NAMES } from '../queues/queue-names';
import { PipelineQueues } from '../queues/pipeline-queues';
import { decideBatchDeletion, type DeletionDecision } from './batch-deletion';
import { RetentionRepository, type LockedBatch } from './retention.repository';
import {
  RETENTION_JOB_OPTIONS,
  RETENTION_SCHEDULER_ID,
  retentionEveryMs,
  type RetentionReport,
} from './retention-schedule';

export interface DeletedBatch {
  id: string;
  status: 'deleted';
  /** Insights deleted by this call (0 when the batch was deleted already). */
  insightsDeleted: number;
}

interface Removal {
  insightsDeleted: number;
  /** false: the batch was deleted already, nothing changed. */
  changed: boolean;
  retentionUntil: string | null;
}

const RETENTION = systemPrincipal('retention');
const DEFAULT_REASON = 'Deleted on request';

/**
 * Deleting batches, on request (DELETE /api/v1/batches/:id) and when their retention date has
 * passed (a scheduled maintenance job and `retention:run`). One transaction removes the batch's
 * insights (queuing their removal from the index), tag events, rejected rows and chunks, and turns
 * the batch row into a tombstone; then its files go and the index job is asked to run.
 *
 * A batch still being processed is safe to delete: the tombstone is written under the batch row's
 * update lock, which waits for any chunk being stored (those hold a share lock) and is seen by
 * every later step — the enrich step stores nothing for a deleted batch, the ingest step stops at
 * its next chunk and removes what it wrote since, and the lifecycle never moves a deleted batch on.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly repo: RetentionRepository,
    private readonly batches: BatchesRepository,
    private readonly files: FileStore,
    private readonly queues: PipelineQueues,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Deletes a batch for a caller: admins and moderators any batch, a partner its own batch before
   * approval; a batch the caller cannot see is "not found". Deleting a deleted batch changes nothing.
   */
  async deleteBatch(batchId: string, actor: Actor, reason?: string): Promise<DeletedBatch> {
    const caller = actor.principal;
    const visible = await this.batches.findVisible(batchId, actor.scope);
    // Kept in the tombstone and, for good, in the audit log: de-identified like a comment.
    const why = reason?.trim() ? redactField(reason.trim()) : DEFAULT_REASON;
    const removal = await this.remove(batchId, caller, why, (b) =>
      // Its owner asking again for a batch already deleted gets the same answer, whatever its review.
      decideBatchDeletion(
        caller,
        batchId,
        visible && b
          ? { ...b, reviewStatus: b.status === 'deleted' ? null : b.reviewStatus }
          : null,
      ),
    );
    if (removal.changed)
      await this.audit.record(actor, {
        action: 'batch.delete',
        targetType: 'batch',
        targetId: batchId,
        details: { reason: why, insightsDeleted: removal.insightsDeleted },
      });
    return { id: batchId, status: 'deleted', insightsDeleted: removal.insightsDeleted };
  }

  /** Deletes every batch whose retention date has passed (or, with dryRun, lists them). */
  async expire(opts: { dryRun?: boolean } = {}): Promise<RetentionReport> {
    const dryRun = opts.dryRun ?? false;
    const report: RetentionReport = { dryRun, batches: [], failed: [] };
    for (const due of await this.repo.expired()) {
      if (dryRun) {
        report.batches.push({
          id: due.id,
          organisation: due.organisationCode,
          retentionUntil: due.retentionUntil,
          insights: due.insights,
        });
        continue;
      }
      try {
        const removal = await this.remove(
          due.id,
          RETENTION,
          `Retention period ended (retention until ${due.retentionUntil})`,
          // Deleted meanwhile (by a person or another run): nothing to do.
          (b) => (b?.expired && b.status !== 'deleted' ? { allowed: true } : 'unchanged'),
        );
        if (!removal.changed) continue;
        await this.audit.record(
          { principal: RETENTION },
          {
            action: 'retention.expire',
            targetType: 'batch',
            targetId: due.id,
            details: {
              retentionUntil: removal.retentionUntil,
              insightsDeleted: removal.insightsDeleted,
            },
          },
        );
        report.batches.push({
          id: due.id,
          organisation: due.organisationCode,
          retentionUntil: due.retentionUntil,
          insights: removal.insightsDeleted,
        });
      } catch (e) {
        // One batch failing (a lock timeout, a lost connection) must not keep the others.
        this.logger.error(
          { batchId: due.id, errorName: (e as Error).name },
          'Retention delete failed',
        );
        report.failed.push({ id: due.id, error: (e as Error).name });
      }
    }
    if (report.batches.length || report.failed.length)
      this.logger.log(
        { dryRun, deleted: report.batches.length, failed: report.failed.length },
        'Retention run',
      );
    return report;
  }

  /**
   * Keeps the retention scheduler in step with RETENTION_SWEEP_INTERVAL_HOURS. Upserting an
   * unchanged schedule keeps its next run, so restarts do not bring runs forward.
   */
  async syncSchedule(): Promise<number> {
    const every = retentionEveryMs(this.config);
    await this.queues.schedule({
      id: RETENTION_SCHEDULER_ID,
      job: JOB_NAMES.retention,
      everyMs: every,
      data: {},
      opts: RETENTION_JOB_OPTIONS,
    });
    return every;
  }

  private async remove(
    batchId: string,
    by: Principal,
    reason: string,
    decide: (b: LockedBatch | null) => DeletionDecision | 'unchanged',
  ): Promise<Removal> {
    const removal = await this.repo.transaction(async (tx): Promise<Removal> => {
      const locked = await tx.lock(batchId);
      const decision = decide(locked);
      if (decision !== 'unchanged' && !decision.allowed)
        throw new DomainError(decision.code, decision.message);
      if (decision === 'unchanged' || !locked || locked.status === 'deleted')
        return {
          insightsDeleted: 0,
          changed: false,
          retentionUntil: locked?.retentionUntil ?? null,
        };
      const counts = await tx.purge(batchId);
      await tx.tombstone(batchId, by.label, reason.slice(0, 500));
      return {
        insightsDeleted: counts.insights,
        changed: true,
        retentionUntil: locked.retentionUntil,
      };
    });
    if (!removal.changed) return removal;
    await this.files.deleteBatchFiles(batchId);
    if (removal.insightsDeleted > 0)
      await this.queues.requestDrain().catch((e: unknown) =>
        // The outbox rows are committed; the sweeper enqueues the index job when Redis is back.
        this.logger.warn(
          `Could not enqueue index removal for batch ${batchId} (${(e as Error).name}); the sweeper will retry`,
        ),
      );
    this.logger.log({ batchId, insightsDeleted: removal.insightsDeleted }, 'Batch deleted');
    return removal;
  }
}
