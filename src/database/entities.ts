import { AuditEvent } from '../audit/audit-event.entity';
import { Batch } from '../batches/batch.entity';
import { RejectedRow } from '../batches/rejected-row.entity';
import { Insight } from '../insights/insight.entity';
import { Organisation } from '../organisations/organisation.entity';
import { IndexOutbox } from '../search/index-outbox.entity';

export const ENTITIES = [Organisation, Batch, RejectedRow, Insight, IndexOutbox, AuditEvent];
