import { IngestionError } from '../ingestion.error';
import { inflateEntry, type ZipEntry } from './zip-archive.util';

export interface CellRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export interface SheetInfo {
  /** 1-based position in the workbook's tab order. */
  index: number;
  name: string;
  path: string;
  merges: CellRange[];
}

const MERGE_PATTERN = /<(?:\w+:)?mergeCell\s[^>]*?\bref="([A-Z]+\d+)(?::([A-Z]+\d+))?"/g;

/**
 * One pass over every part of the workbook: proves each part unpacks to what it declares, reads
 * the tab order, and collects merged ranges — which the streaming parser ignores, and which sit
 * after the rows in the sheet XML, so they must be known before rows are streamed.
 */
export async function inspectWorkbook(
  filePath: string,
  entries: readonly ZipEntry[],
): Promise<SheetInfo[]> {
  const names = new Set(entries.map((e) => e.name));
  if (!names.has('xl/workbook.xml')) {
    const hint = names.has('content.xml')
      ? ' It looks like an OpenDocument spreadsheet (.ods): save it as .xlsx.'
      : '';
    throw new IngestionError(
      'unsupported_format',
      `The file is a zip archive but not an Excel workbook.${hint}`,
    );
  }
  let workbookXml = '';
  let relsXml = '';
  const mergesByPath = new Map<string, CellRange[]>();
  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue;
    if (entry.name === 'xl/workbook.xml' || entry.name === 'xl/_rels/workbook.xml.rels') {
      const parts: Buffer[] = [];
      await inflateEntry(filePath, entry, (chunk) => parts.push(chunk));
      const text = Buffer.concat(parts).toString('utf8');
      if (entry.name === 'xl/workbook.xml') workbookXml = text;
      else relsXml = text;
    } else if (/^xl\/worksheets\/[^/]+\.xml$/.test(entry.name)) {
      mergesByPath.set(entry.name, await scanMerges(filePath, entry));
    } else {
      await inflateEntry(filePath, entry);
    }
  }
  const targets = new Map<string, string>();
  for (const attrs of tags(relsXml, 'Relationship')) {
    if (attrs.Id && attrs.Target) targets.set(attrs.Id, resolveTarget(attrs.Target));
  }
  const sheets: SheetInfo[] = [];
  for (const attrs of tags(workbookXml, 'sheet')) {
    const relId = attrs['r:id'] ?? Object.entries(attrs).find(([k]) => k.endsWith(':id'))?.[1];
    const path = relId ? targets.get(relId) : undefined;
    if (!path || !mergesByPath.has(path)) continue;
    sheets.push({
      index: sheets.length + 1,
      name: attrs.name ?? `Sheet${sheets.length + 1}`,
      path,
      merges: mergesByPath.get(path) ?? [],
    });
  }
  return sheets;
}

export function columnNumber(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + (letters.charCodeAt(i) - 64);
  return n;
}

async function scanMerges(filePath: string, entry: ZipEntry): Promise<CellRange[]> {
  const refs = new Set<string>();
  let carry = '';
  await inflateEntry(filePath, entry, (chunk) => {
    const text = carry + chunk.toString('latin1');
    if (text.includes('mergeCell')) {
      for (const m of text.matchAll(MERGE_PATTERN)) refs.add(`${m[1]}:${m[2] ?? m[1]}`);
    }
    carry = text.slice(-300);
  });
  const ranges: CellRange[] = [];
  for (const ref of refs) {
    const [from, to] = ref.split(':').map(parseCellRef);
    if (!from || !to) continue;
    ranges.push({
      top: Math.min(from.row, to.row),
      bottom: Math.max(from.row, to.row),
      left: Math.min(from.col, to.col),
      right: Math.max(from.col, to.col),
    });
  }
  return ranges.sort((a, b) => a.top - b.top);
}

function parseCellRef(ref: string): { row: number; col: number } | undefined {
  const m = /^([A-Z]+)(\d+)$/.exec(ref);
  return m ? { col: columnNumber(m[1]), row: Number(m[2]) } : undefined;
}

function resolveTarget(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = `xl/${target}`.split('/');
  const resolved: string[] = [];
  for (const part of parts) {
    if (part === '..') resolved.pop();
    else if (part !== '.') resolved.push(part);
  }
  return resolved.join('/');
}

function* tags(xml: string, tagName: string): Generator<Record<string, string>> {
  const pattern = new RegExp(`<(?:\\w+:)?${tagName}\\s([^>]*?)/?>`, 'g');
  for (const match of xml.matchAll(pattern)) {
    const attrs: Record<string, string> = {};
    for (const a of match[1].matchAll(/([\w:]+)\s*=\s*"([^"]*)"/g)) attrs[a[1]] = decodeXml(a[2]);
    yield attrs;
  }
}

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_m, e: string) => {
    const lower = e.toLowerCase();
    if (lower === 'amp') return '&';
    if (lower === 'lt') return '<';
    if (lower === 'gt') return '>';
    if (lower === 'quot') return '"';
    if (lower === 'apos') return "'";
    return String.fromCodePoint(
      lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10),
    );
  });
}
