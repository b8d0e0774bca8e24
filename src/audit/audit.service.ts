import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from '../access/principal';

/** Every action the audit log records. */
export const AUDIT_ACTIONS = [
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.sign_out',
  'insights.search',
  'insights.summary',
  'insights.trends',
  'insights.view',
  'insights.export',
  'insights.tag_edit',
  'insights.sentiment_edit',
  'insights.redaction_edit',
  'batch.upload',
  'batch.approve',
  'batch.reject',
  'batch.delete',
  'insight.approve',
  'insight.reject',
  'insight.safeguarding_clear',
  'retention.expire',
  'taxonomy.change',
  'key.create',
  'key.revoke',
  'user.create',
  'organisation.trust',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  /** What was asked or changed: query and filters, counts, reasons. Never feedback text or secrets. */
  details?: Record<string, unknown>;
}

export interface AuditActor {
  principal: Principal;
  requestId?: string | null;
  ip?: string | null;
}

export interface AuditRow {
  id: string;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  actor: string;
  organisationId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  requestId: string | null;
  ip: string | null;
}

export interface AuditFilter {
  action?: string;
  actor?: string;
  organisationId?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

/** Reads are audited in batches: at most this long after the read, or when this many wait. */
export const AUDIT_FLUSH_MS = 50;
const AUDIT_BATCH_ROWS = 200;
/** Rows kept for a retry while PostgreSQL is unreachable; past this the oldest are dropped. */
const AUDIT_MAX_PENDING = 10_000;
const AUDIT_RETRY_MS = 1_000;
const COLUMNS =
  'occurred_at, actor_type, actor_id, actor, organisation_id, action, target_type, target_id, details, request_id, ip';
const PER_ROW = 11;

type AuditValues = [
  Date,
  string,
  string | null,
  string,
  string | null,
  string,
  string | null,
  string | null,
  string,
  string | null,
  string | null,
];

function valuesOf(actor: AuditActor, entry: AuditEntry, at: Date): AuditValues {
  const p = actor.principal;
  return [
    at,
    p.kind,
    p.id,
    p.label,
    p.organisationId,
    entry.action,
    entry.targetType ?? null,
    entry.targetId ?? null,
    JSON.stringify(entry.details ?? {}),
    actor.requestId ?? null,
    actor.ip ?? null,
  ];
}

/**
 * Appends to the audit log. The table refuses UPDATE and DELETE (a trigger), and no path in the
 * app changes or deletes its rows.
 *
 * Changes and sign-ins are written before the caller answers (`record`). Reads (searches,
 * trends, summaries) are queued (`recordSoon`) and written together, at most AUDIT_FLUSH_MS
 * later, so that auditing every search does not cost every search a database write. Each row
 * keeps the time of the read; pending rows are written when the process shuts down, and kept for
 * a retry while PostgreSQL is unreachable.
 */
@Injectable()
export class AuditService implements OnModuleDestroy {
  private readonly log = new Logger(AuditService.name);
  private pending: AuditValues[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async record(actor: AuditActor, entry: AuditEntry): Promise<void> {
    await this.insert([valuesOf(actor, entry, new Date())]);
  }

  /** Queues a row without holding up the caller; see the class comment. */
  recordSoon(actor: AuditActor, entry: AuditEntry): void {
    this.pending.push(valuesOf(actor, entry, new Date()));
    if (this.pending.length >= AUDIT_BATCH_ROWS) void this.flush();
    else this.schedule(AUDIT_FLUSH_MS);
  }

  /** Writes every queued row; resolves when they are written (or have failed and are kept). */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writePending());
    return this.writing;
  }

  async onModuleDestroy(): Promise<void> {
    await this.flush();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length)
      this.log.error(`${this.pending.length} audit rows were not written before shutdown`);
  }

  private schedule(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, ms);
    this.timer.unref();
  }

  private async writePending(): Promise<void> {
    while (this.pending.length) {
      const rows = this.pending.slice(0, AUDIT_BATCH_ROWS);
      try {
        await this.insert(rows);
        this.pending.splice(0, rows.length);
      } catch (e) {
        const excess = this.pending.length - AUDIT_MAX_PENDING;
        if (excess > 0) this.pending.splice(0, excess);
        // Only the count and the database's message: never the rows (they hold queries).
        this.log.error(
          `${rows.length} audit rows could not be written (${(e as Error).message}); retrying` +
            (excess > 0 ? `; ${excess} older rows dropped` : ''),
        );
        this.schedule(AUDIT_RETRY_MS);
        return;
      }
    }
  }

  private async insert(rows: AuditValues[]): Promise<void> {
    const tuples = rows.map(
      (_, r) =>
        `(${Array.from({ length: PER_ROW }, (_, c) => `$${r * PER_ROW + c + 1}`).join(', ')})`,
    );
    await this.ds.query(
      `INSERT INTO audit_event (${COLUMNS}) VALUES ${tuples.join(', ')}`,
      rows.flat(),
    );
  }

  async list(
    f: AuditFilter,
  ): Promise<{ total: number; page: number; pageSize: number; events: AuditRow[] }> {
    await this.flush(); // this process's queued reads are part of the answer
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown): void => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.action)
      add(
        f.action.endsWith('.*') ? `action LIKE ?` : `action = ?`,
        f.action.endsWith('.*') ? `${f.action.slice(0, -1)}%` : f.action,
      );
    if (f.actor) add(`actor = ?`, f.actor);
    if (f.organisationId) add(`organisation_id = ?`, f.organisationId);
    if (f.targetType) add(`target_type = ?`, f.targetType);
    if (f.targetId) add(`target_id = ?`, f.targetId);
    if (f.from) add(`occurred_at >= ?`, f.from);
    if (f.to) add(`occurred_at < ?`, f.to);
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ n }] = await this.ds.query<Array<{ n: string }>>(
      `SELECT count(*) AS n FROM audit_event ${w}`,
      params,
    );
    const rows = await this.ds.query<
      Array<{
        id: string;
        occurred_at: Date;
        actor_type: string;
        actor_id: string | null;
        actor: string;
        organisation_id: string | null;
        action: string;
        target_type: string | null;
        target_id: string | null;
        details: Record<string, unknown>;
        request_id: string | null;
        ip: string | null;
      }>
    >(
      `SELECT * FROM audit_event ${w} ORDER BY occurred_at DESC, id DESC LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
      params,
    );
    return {
      total: Number(n),
      page: f.page,
      pageSize: f.pageSize,
      events: rows.map((r) => ({
        id: String(r.id),
        occurredAt: r.occurred_at.toISOString(),
        actorType: r.actor_type,
        actorId: r.actor_id,
        actor: r.actor,
        organisationId: r.organisation_id,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        details: r.details,
        requestId: r.request_id,
        ip: r.ip,
      })),
    };
  }
}
