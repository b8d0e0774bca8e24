import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { loadPlaceHierarchy, type PlaceHierarchy } from '../enrichment/places/place-hierarchy';
import { loadDefaultTaxonomy, type Taxonomy } from '../enrichment/tagging/taxonomy';

/** Places and themes are data: loaded once per process from the configured files. */
@Injectable()
export class ReferenceDataService {
  readonly places: PlaceHierarchy;
  readonly taxonomy: Taxonomy;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.places = loadPlaceHierarchy(config.PLACES_FILE);
    this.taxonomy = loadDefaultTaxonomy();
  }

  ladName(code: string): string | undefined {
    return this.places.districts.get(code)?.name;
  }
}
