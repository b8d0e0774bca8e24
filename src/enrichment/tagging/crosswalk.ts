import * as fs from 'node:fs';
import { dataFile } from '../../common/project-root';
import { parse } from 'csv-parse/sync';
import type { Taxonomy } from './taxonomy';

export class CrosswalkError extends Error {
  readonly code = 'invalid_input';
  constructor(message: string) {
    super(message);
    this.name = 'CrosswalkError';
  }
}

/**
 * Reads a partner-label → theme-code crosswalk (columns `partner_label`, `theme_code`; one row per
 * pair, so a label that spans several themes has several rows). Labels keep their exact spelling,
 * including trailing punctuation, because partners' files use them verbatim.
 */
export function parseCrosswalkCsv(text: string): Map<string, string[]> {
  const rows: string[][] = parse(text, {
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
  });
  if (rows.length === 0) throw new CrosswalkError('crosswalk is empty');
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const labelCol = header.indexOf('partner_label');
  const codeCol = header.indexOf('theme_code');
  if (labelCol < 0 || codeCol < 0) {
    throw new CrosswalkError('crosswalk needs the columns partner_label and theme_code');
  }
  const out = new Map<string, string[]>();
  rows.slice(1).forEach((row, i) => {
    const label = (row[labelCol] ?? '').trim();
    const code = (row[codeCol] ?? '').trim();
    if (label === '' || code === '') {
      throw new CrosswalkError(
        `crosswalk row ${i + 2}: partner_label and theme_code are both required`,
      );
    }
    const codes = out.get(label) ?? [];
    if (!codes.includes(code)) codes.push(code);
    out.set(label, codes);
  });
  return out;
}

/** Names every theme code in the crosswalk that the taxonomy does not know. */
export function validateCrosswalk(crosswalk: Map<string, string[]>, taxonomy: Taxonomy): void {
  const unknown: string[] = [];
  for (const [label, codes] of crosswalk) {
    for (const c of codes) if (!taxonomy.byCode(c)) unknown.push(`"${label}" -> ${c}`);
  }
  if (unknown.length > 0) {
    throw new CrosswalkError(`crosswalk refers to unknown theme codes: ${unknown.join(', ')}`);
  }
}

/**
 * Maps theme tags back onto partner labels. A tag on a sub-theme also counts for a label that maps
 * to its category, so partners who code at category level still get a match. The label whose
 * themes carry the highest confidence comes first.
 */
export function themesToPartnerLabels(
  tags: ReadonlyArray<{ code: string; confidence: number }>,
  crosswalk: Map<string, string[]>,
  taxonomy: Taxonomy,
): Array<{ label: string; confidence: number }> {
  const best = new Map<string, number>();
  for (const tag of tags) {
    const lineage = taxonomy.ancestry(tag.code);
    for (const [label, codes] of crosswalk) {
      if (!codes.some((c) => lineage.includes(c))) continue;
      best.set(label, Math.max(best.get(label) ?? 0, tag.confidence));
    }
  }
  return [...best.entries()]
    .map(([label, confidence]) => ({ label, confidence }))
    .sort((a, b) => b.confidence - a.confidence || a.label.localeCompare(b.label));
}

export function loadPhase1Crosswalk(): Map<string, string[]> {
  return parseCrosswalkCsv(fs.readFileSync(dataFile('taxonomy', 'crosswalk-phase1.csv'), 'utf8'));
}
