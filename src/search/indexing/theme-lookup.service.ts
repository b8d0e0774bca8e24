import { Injectable } from '@nestjs/common';
import { ReferenceDataService } from '../../reference/reference-data.service';
import { TaggingService } from '../../enrichment/tagging/tagging.service';
import type { SearchDocumentLookups } from '../query/search-document';

/**
 * Names, parents and kinds of themes (from the active taxonomy in PostgreSQL, so a theme added
 * through the API is indexed with its name) and names of districts, for building search documents.
 */
@Injectable()
export class ThemeLookupService {
  constructor(
    private readonly reference: ReferenceDataService,
    private readonly tagging: TaggingService,
  ) {}

  lookups(): Promise<SearchDocumentLookups> {
    const t = this.tagging.current().taxonomy;
    return Promise.resolve({
      themeName: (code) => t.byCode(code)?.name,
      themeParent: (code) => t.byCode(code)?.parentCode ?? undefined,
      ladName: (code) => this.reference.ladName(code),
      themeKind: (code) => t.byCode(code)?.kind,
    });
  }
}
