import { ApiKey } from '../access/api-key.entity';
import { AppUser } from '../access/user.entity';
import { AuditEvent } from '../audit/audit-event.entity';
import { Batch } from '../batches/batch.entity';
import { BatchChunk } from '../batches/batch-chunk.entity';
import { RejectedRow } from '../batches/rejected-row.entity';
import { Insight } from '../insights/insight.entity';
import { Organisation } from '../organisations/organisation.entity';
import { GpPractice } from '../reference/places/gp-practice.entity';
import { PostcodeLookup } from '../reference/places/postcode-lookup.entity';
import { IndexOutbox } from '../search/index-outbox.entity';
import { TagEvent } from '../taxonomy/tag-event.entity';
import { TaggerModel } from '../taxonomy/tagger-model.entity';
import { TaxonomyVersion } from '../taxonomy/taxonomy-version.entity';
import { ThemeRow } from '../taxonomy/theme.entity';

export const ENTITIES = [
  Organisation,
  Batch,
  BatchChunk,
  RejectedRow,
  Insight,
  IndexOutbox,
  AuditEvent,
  PostcodeLookup,
  GpPractice,
  ThemeRow,
  TaxonomyVersion,
  TaggerModel,
  TagEvent,
  AppUser,
  ApiKey,
];
