import { Injectable, Logger } from '@nestjs/common';
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

/**
 * Appends to the audit log. The table refuses UPDATE and DELETE (a trigger), and no path in the
 * app changes or deletes its rows.
 */
@Injectable()
export class AuditService {
  private readonly log = new Logger(AuditService.name);

  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async record(actor: AuditActor, entry: AuditEntry): Promise<void> {
    const p = actor.principal;
    await this.ds.query(
      `INSERT INTO audit_event (actor_type, actor_id, actor, organisation_id, action, target_type, target_id, details, request_id, ip)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
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
      ],
    );
  }

  /** Records without holding up the caller; a failure is logged (without details) and counted. */
  recordSoon(actor: AuditActor, entry: AuditEntry): Promise<void> {
    return this.record(actor, entry).catch((e: unknown) => {
      this.log.error(`audit row for ${entry.action} was not written: ${(e as Error).message}`);
    });
  }

  async list(
    f: AuditFilter,
  ): Promise<{ total: number; page: number; pageSize: number; events: AuditRow[] }> {
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
