import type { AuditAction, AuditEntry } from '../audit/audit.service';
import { redactField } from '../enrichment/redaction/redactor';

/**
 * The query as asked, for the audit log: parameter names and values, each cut to 200 characters
 * and de-identified (people search for a patient's NHS number or email; the log is kept for good).
 */
export function askedFor(query: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query).slice(0, 50)) {
    const value = (Array.isArray(v) ? v.join(',') : String(v)).slice(0, 200);
    out[redactField(k.slice(0, 50))] = deidentifyValue(value);
  }
  return out;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids (a batch or organisation filter, one or a comma list) name no person and are kept as asked:
 * the de-identifier would read runs of digits inside a UUID as a phone number. In a list that
 * mixes ids with anything else, each other part is de-identified on its own; a value with no id
 * is de-identified whole, so a name or number keeps its context.
 */
function deidentifyValue(value: string): string {
  const parts = value.split(',');
  if (!parts.some((part) => UUID.test(part.trim()))) return redactField(value);
  return parts.map((part) => (UUID.test(part.trim()) ? part : redactField(part))).join(',');
}

/** The audit row of a read of insight: what was asked (query and filters), never what was found. */
export function queryAudit(
  action: AuditAction,
  query: Readonly<Record<string, unknown>>,
): AuditEntry {
  return { action, details: { query: askedFor(query) } };
}
