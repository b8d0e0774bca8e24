import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from '../access/principal';

/** Every action the audit log records. */
export const AUDIT_ACTIONS = [
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.sign_out',
  'auth.password_change',
  'auth.password_change_failed',
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

const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** In the safe form of a refused row every text is cut to this, well under an index entry's limit. */
const SAFE_TEXT_CHARS = 200;

/**
 * Text PostgreSQL can store: a NUL (refused by text and jsonb columns) and half a surrogate pair
 * (refused by jsonb) become U+FFFD. Requests with either are refused before they get here; this
 * keeps any other caller's slip from costing a row.
 */
export function storableText(s: string): string {
  return s.replaceAll('\u0000', '\uFFFD').replace(LONE_SURROGATES, '\uFFFD');
}

function storableJson(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return storableText(v);
  if (typeof v !== 'object' || v === null || depth > 20) return v;
  if (Array.isArray(v)) return v.map((x) => storableJson(x, depth + 1));
  if (v instanceof Date) return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [storableText(k), storableJson(x, depth + 1)]),
  );
}

function storableOrNull(s: string | null | undefined): string | null {
  return s === null || s === undefined ? null : storableText(s);
}

function valuesOf(actor: AuditActor, entry: AuditEntry, at: Date): AuditValues {
  const p = actor.principal;
  return [
    at,
    storableText(p.kind),
    storableOrNull(p.id),
    storableText(p.label),
    p.organisationId,
    entry.action,
    storableOrNull(entry.targetType),
    storableOrNull(entry.targetId),
    JSON.stringify(storableJson(entry.details ?? {})),
    storableOrNull(actor.requestId),
    storableOrNull(actor.ip),
  ];
}

/** PostgreSQL's SQLSTATE of an error, when it has one. */
function sqlState(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Whether PostgreSQL refused the row itself (a value it cannot store: data exceptions, constraint
 * violations, an index entry over the size limit) rather than being unreachable. A refused row
 * fails however often it is retried; an unreachable database is worth waiting for.
 */
function rowRefused(e: unknown): boolean {
  const state = sqlState(e);
  return state !== undefined && ['22', '23', '54'].includes(state.slice(0, 2));
}

/**
 * What is kept of a row PostgreSQL refused: who, what and when, with each text cut short, an
 * organisation id only if it is one, and in place of the details the reason they are missing.
 */
function safeForm(row: AuditValues, state: string): AuditValues {
  const cut = (s: string | null): string | null =>
    s === null ? null : storableText(s).slice(0, SAFE_TEXT_CHARS);
  const [at, actorType, actorId, label, orgId, action, targetType, targetId, , requestId, ip] = row;
  return [
    at,
    cut(actorType) ?? '',
    cut(actorId),
    cut(label) ?? '',
    orgId !== null && UUID.test(orgId) ? orgId : null,
    cut(action) ?? '',
    cut(targetType),
    cut(targetId),
    JSON.stringify({ notStored: `PostgreSQL refused this row (SQLSTATE ${state})` }),
    cut(requestId),
    cut(ip),
  ];
}

/**
 * Appends to the audit log. The table refuses UPDATE and DELETE (a trigger), and no path in the
 * app changes or deletes its rows.
 *
 * Changes and sign-ins are written before the caller answers (`record`). Reads (searches,
 * trends, summaries) are queued (`recordSoon`) and written together, at most AUDIT_FLUSH_MS
 * later, so that auditing every search does not cost every search a database write. Each row
 * keeps the time of the read; pending rows are kept for a retry while PostgreSQL is unreachable.
 * A row PostgreSQL refuses is written in a safe form (see `safeForm`) and never holds up the rows
 * queued behind it. From shutdown on, queued rows are written at once, and the last are written
 * before the database connection closes.
 */
@Injectable()
export class AuditService implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly log = new Logger(AuditService.name);
  private pending: AuditValues[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private closing = false;

  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async record(actor: AuditActor, entry: AuditEntry): Promise<void> {
    await this.insertOne(valuesOf(actor, entry, new Date()));
  }

  /** Queues a row without holding up the caller; see the class comment. */
  recordSoon(actor: AuditActor, entry: AuditEntry): void {
    this.pending.push(valuesOf(actor, entry, new Date()));
    if (this.closing || this.pending.length >= AUDIT_BATCH_ROWS) void this.flush();
    else this.schedule(AUDIT_FLUSH_MS);
  }

  /** Writes every queued row; resolves when they are written (or have failed and are kept). */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writePending());
    return this.writing;
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    await this.flush();
  }

  /** Other modules' shutdown may still have queued rows; the database closes after this. */
  async beforeApplicationShutdown(): Promise<void> {
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
        try {
          await this.insert(rows);
          this.pending.splice(0, rows.length);
        } catch (e) {
          if (!rowRefused(e)) throw e;
          // One of them is refused: write them one by one, so only that one is set apart.
          // `pending` only grows at its end meanwhile, so its head is the row being written.
          for (const row of rows) {
            await this.insertOne(row);
            this.pending.splice(0, 1);
          }
        }
      } catch (e) {
        const excess = this.pending.length - AUDIT_MAX_PENDING;
        if (excess > 0) this.pending.splice(0, excess);
        // Only the count and the error's code: never the rows (they hold queries), nor the
        // database's message (it can quote a value).
        this.log.error(
          `${this.pending.length} audit rows could not be written (${sqlState(e) ?? (e as Error).name}); retrying` +
            (excess > 0 ? `; ${excess} older rows dropped` : ''),
        );
        this.schedule(AUDIT_RETRY_MS);
        return;
      }
    }
  }

  /**
   * Writes one row; if PostgreSQL refuses it, its safe form instead. Throws only when the database
   * cannot be reached, so the caller can keep the row and retry.
   */
  private async insertOne(row: AuditValues): Promise<void> {
    try {
      await this.insert([row]);
      return;
    } catch (e) {
      const state = sqlState(e);
      if (state === undefined || !rowRefused(e)) throw e;
      this.log.error(
        `An audit row (${row[5].slice(0, 40)}) was refused by PostgreSQL (SQLSTATE ${state}); it is written without its details`,
      );
      try {
        await this.insert([safeForm(row, state)]);
      } catch (e2) {
        if (!rowRefused(e2)) throw e2;
        this.log.error(
          `The safe form of an audit row was refused too (SQLSTATE ${sqlState(e2)}); the row is dropped`,
        );
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
