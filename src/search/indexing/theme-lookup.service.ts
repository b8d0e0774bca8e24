import { Injectable } from '@nestjs/common';
import { ReferenceDataService } from '../../reference/reference-data.service';

import type { SearchDocumentLookups } from '../query/search-document';

/** Names and parents of themes and districts, for building search documents. */
@Injectable()
export class ThemeLookupService {
  constructor(private readonly reference: ReferenceDataService) {}

  lookups(): Promise<SearchDocumentLookups> {
    const t = this.reference.taxonomy;
    return Promise.resolve({
      themeName: (code) => t.byCode(code)?.name,
      themeParent: (code) => t.byCode(code)?.parentCode ?? undefined,
      ladName: (code) => this.reference.ladName(code),
      themeKind: (code) => t.byCode(code)?.kind,
    });
  }
}
