import * as fs from 'node:fs';
import * as path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { TERMINAL_BATCH_STATUSES, type BatchStatus } from '../batches/batch.entity';
import type { BatchView } from '../batches/dto/batch-view';
import { CHUNK_SIZE } from '../batches/intake/ingest.service';
import type { IndexGateway } from '../search/index-gateway';
import { INSIGHTS_INDEX } from '../../search-config/insights.index';

/** Files with one row a line, whose rows can be counted before the bank reads them. */
const LINE_FORMATS = new Set(['.csv', '.tsv', '.txt', '.ndjson', '.jsonl']);

/**
 * Roughly how many data rows a file holds: its line count less the header. Comments spanning
 * several lines make this a little high, so progress only reaches 100 % once parsing ends.
 * Undefined for formats whose rows cannot be counted this way (XLSX, JSON arrays).
 */
export async function estimateRows(file: string): Promise<number | undefined> {
  const ext = path.extname(file).toLowerCase();
  if (!LINE_FORMATS.has(ext)) return undefined;
  let lines = 0;
  let last = 10;
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines += 1;
    last = chunk[chunk.length - 1];
  }
  if (last !== 10) lines += 1;
  const headerLines = ext === '.ndjson' || ext === '.jsonl' ? 0 : 1;
  return Math.max(1, lines - headerLines);
}

// How long each step takes for one row, roughly: enrichment (de-identify, place, tag) dominates.
const WEIGHTS = { parse: 1, enrich: 3, index: 1 };

/**
 * How far the whole batch is, 0-100, from what the bank reports while the steps overlap: rows
 * parsed (against the estimate), chunks enriched, and documents indexed (against the comments
 * accepted so far, extrapolated to the whole file, and the running Meilisearch task's own
 * progress). Without an estimate the bank's own figure is used until parsing ends. Never 100
 * before the batch is finished.
 */
export function importPercent(
  view: BatchView,
  estimatedRows?: number,
  indexingTaskPercent?: number,
): number {
  if (TERMINAL_BATCH_STATUSES.includes(view.status as BatchStatus)) return 100;
  if (view.status === 'received') return 0;
  const parsed = view.timings.parsedAt !== null;
  if (!parsed && !estimatedRows) return Math.min(99, view.progress.percent);
  const parse = parsed ? 1 : Math.min(0.99, view.progress.rowsRead / estimatedRows!);
  const expectedChunks = parsed
    ? view.progress.chunksTotal
    : Math.max(view.progress.chunksTotal, Math.ceil(estimatedRows! / CHUNK_SIZE));
  const enrich = expectedChunks ? Math.min(1, view.progress.chunksDone / expectedChunks) : 1;
  const acceptedSoFar = view.counts.accepted;
  const expectedAccepted =
    enrich >= 1 ? acceptedSoFar : enrich > 0 ? acceptedSoFar / enrich : Number.POSITIVE_INFINITY;
  const confirmed =
    expectedAccepted === 0 ? 1 : Math.min(1, view.counts.indexed / Math.max(1, expectedAccepted));
  // The count moves only when a Meilisearch task ends; while the last one runs, its own progress
  // fills the rest.
  const index =
    view.status === 'indexing' && indexingTaskPercent !== undefined
      ? confirmed + (1 - confirmed) * Math.min(1, Math.max(0, indexingTaskPercent / 100))
      : confirmed;
  const done =
    (WEIGHTS.parse * parse + WEIGHTS.enrich * enrich + WEIGHTS.index * index) /
    (WEIGHTS.parse + WEIGHTS.enrich + WEIGHTS.index);
  return Math.min(99, Math.floor(done * 100));
}

/** Time left at the pace so far, or `--` until there is a pace to go by. */
export function etaText(percent: number, elapsedMs: number): string {
  if (percent >= 100) return '0 s';
  if (percent < 1 || elapsedMs < 1000) return '--';
  const left = Math.round(((elapsedMs / percent) * (100 - percent)) / 1000);
  if (left < 60) return `${left} s`;
  const minutes = Math.floor(left / 60);
  if (minutes < 60) return `${minutes} min ${String(left % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** How often a line is printed when the output is not a terminal. */
export const PROGRESS_LINE_EVERY_MS = 3000;

/**
 * Follows a batch to the end, showing its progress on `out`: a bar on a terminal, otherwise one
 * line every few seconds and at each change of phase (a log file or CI output gets no bar).
 */
export async function followImport(
  readView: () => Promise<BatchView>,
  opts: {
    out: NodeJS.WriteStream;
    show: boolean;
    estimatedRows?: number;
    indexingProgress?: () => Promise<number | undefined>;
  },
): Promise<BatchView> {
  const { out, show, estimatedRows, indexingProgress } = opts;
  const asBar = show && out.isTTY === true;
  const bar = asBar
    ? new SingleBar(
        {
          format: '{phase} |{bar}| {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_text}',
          hideCursor: true,
          stream: out,
        },
        Presets.shades_classic,
      )
    : undefined;
  const started = Date.now();
  bar?.start(100, 0, { phase: 'received'.padEnd(9), rows: 0, rate: 0, eta_text: '--' });
  let lastLineAt = 0;
  let lastPhase = '';
  let shown = 0;
  for (;;) {
    const view = await readView();
    const elapsed = Date.now() - started;
    const task =
      view.status === 'indexing' && indexingProgress
        ? await indexingProgress().catch(() => undefined)
        : undefined;
    // Estimates firm up as the batch goes on; the figure shown never goes back.
    shown = Math.max(shown, importPercent(view, estimatedRows, task));
    const percent = shown;
    const rows = view.progress.rowsRead;
    const rate = Math.round(rows / Math.max(0.001, elapsed / 1000));
    const eta = etaText(percent, elapsed);
    const finished = TERMINAL_BATCH_STATUSES.includes(view.status as BatchStatus);
    bar?.update(percent, { phase: view.status.padEnd(9), rows, rate, eta_text: eta });
    if (
      show &&
      !asBar &&
      (finished || view.status !== lastPhase || Date.now() - lastLineAt >= PROGRESS_LINE_EVERY_MS)
    ) {
      out.write(
        `${new Date().toISOString().slice(11, 19)} ${view.status} ${percent}% | ${rows} rows read | ${rate} rows/s | ETA ${eta}\n`,
      );
      lastLineAt = Date.now();
      lastPhase = view.status;
    }
    if (finished) {
      bar?.stop();
      return view;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The progress (0-100) of the Meilisearch task now writing to the insights index, if any. */
export function meiliIndexingProgress(index: IndexGateway): () => Promise<number | undefined> {
  const uid = index.indexUid(INSIGHTS_INDEX);
  return () => index.writeProgress(uid);
}
