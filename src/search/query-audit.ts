import type { AuditAction, AuditEntry } from '../audit/audit.service';
import { redactField } from '../enrichment/redaction/redactor';

/**
 * The query as asked, for the audit log: parameter names and values, each cut to 200 characters
 * and de-identified (people search for a patient's NHS number or email; the log is kept for good).
 */
export function askedFor(query: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query).slice(0, 50))
    out[redactField(k.slice(0, 50))] = redactField(
      (Array.isArray(v) ? v.join(',') : String(v)).slice(0, 200),
    );
  return out;
}

/** The audit row of a read of insight: what was asked (query and filters), never what was found. */
export function queryAudit(
  action: AuditAction,
  query: Readonly<Record<string, unknown>>,
): AuditEntry {
  return { action, details: { query: askedFor(query) } };
}
