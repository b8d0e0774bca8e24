import type { RawRecord } from '../adapters/adapter.types';
import { normaliseHeader } from '../profiles/normalise-header.util';
import type { Profile } from '../profiles/profile.types';
import { DEFAULT_PROFILE, PROFILES } from '../profiles/profiles.constants';
import { buildMapping, listHeaders } from './build-mapping.util';
import { MappingError } from './mapping.error';

const MARKER_WEIGHT = 0.25;
const MAX_MARKERS_COUNTED = 4;

/**
 * Picks the profile that understands most of the file's columns, with columns only one kind of
 * export has (markers) breaking ties; the generic profile wins a draw. Confidence (0..1) is the
 * share of columns understood, lifted by markers — below ~0.3 a person should confirm the mapping.
 */
export function chooseProfile(
  headers: string[],
  requested?: string,
  sample?: readonly RawRecord[],
): { profile: Profile; confidence: number } {
  if (requested !== undefined) {
    const profile = PROFILES[requested];
    if (!profile) {
      throw new MappingError(
        'unknown_profile',
        `Unknown mapping profile "${requested}"; profiles are: ${Object.keys(PROFILES).join(', ')}.`,
      );
    }
    return { profile, confidence: score(headers, profile, sample).confidence };
  }
  const ranked = Object.values(PROFILES)
    .map((profile) => ({ profile, ...score(headers, profile, sample) }))
    .sort(
      (a, b) =>
        b.score - a.score ||
        Number(b.profile.name === DEFAULT_PROFILE) - Number(a.profile.name === DEFAULT_PROFILE),
    );
  const best = ranked[0];
  if (best.score === 0) {
    throw new MappingError(
      'no_text_column',
      `No profile finds a comment column. Columns in the file: ${listHeaders(headers)}. ` +
        'Name the comment column in the column map, or choose a profile.',
    );
  }
  return { profile: best.profile, confidence: best.confidence };
}

function score(
  headers: string[],
  profile: Profile,
  sample?: readonly RawRecord[],
): { score: number; confidence: number } {
  let mapped: number;
  try {
    const mapping = buildMapping(headers, profile, undefined, sample);
    mapped = headers.length - mapping.unmapped.length;
  } catch (err) {
    if (err instanceof MappingError) return { score: 0, confidence: 0 };
    throw err;
  }
  const coverage = headers.length === 0 ? 0 : mapped / headers.length;
  const normalised = new Set(headers.map(normaliseHeader));
  const markers = Math.min(
    (profile.markers ?? []).filter((m) => normalised.has(m)).length,
    MAX_MARKERS_COUNTED,
  );
  const total = coverage + MARKER_WEIGHT * markers;
  return {
    score: total,
    confidence: Math.round(Math.min(1, coverage * 0.8 + markers * 0.1) * 100) / 100,
  };
}
