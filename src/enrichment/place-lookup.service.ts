import { Injectable } from '@nestjs/common';
import type { CandidateComment } from '../../ingestion';
import { PlacesRepository } from '../reference/places/places.repository';
import { normalisePostcode } from './places/postcode';
import type { PlaceLookups } from './places/place-resolver';

/**
 * The place resolver asks synchronous questions; this answers them for one chunk by loading, in
 * two queries, just the postcodes and practices that chunk mentions.
 */
@Injectable()
export class PlaceLookupService {
  constructor(private readonly places: PlacesRepository) {}

  async lookupsFor(comments: CandidateComment[]): Promise<Partial<PlaceLookups>> {
    const postcodes = new Set<string>();
    const practices = new Set<string>();
    for (const c of comments) {
      const pc = c.fields.postcode ? normalisePostcode(c.fields.postcode) : undefined;
      if (pc) postcodes.add(pc);
      if (c.fields.practiceCode) practices.add(c.fields.practiceCode.trim().toUpperCase());
    }
    const [pcMap, practiceMap] = await Promise.all([
      this.places.ladsForPostcodes([...postcodes]),
      this.places.practices([...practices]),
    ]);
    return {
      postcodeToLad: (pc) => pcMap.get(normalisePostcode(pc) ?? pc),
      practiceToLad: (ods) => {
        const p = practiceMap.get(ods.trim().toUpperCase());
        return p?.ladCode
          ? { ladCode: p.ladCode, postcodeDistrict: p.postcodeDistrict ?? undefined }
          : undefined;
      },
    };
  }
}
