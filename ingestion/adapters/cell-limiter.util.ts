import { Transform, type TransformCallback } from 'node:stream';

/**
 * The most characters the CSV reader keeps of one cell: the highest comment limit the bank allows
 * (MAX_COMMENT_LENGTH). A longer cell is cut here, before the parser buffers it, so a 3,000,000-
 * character comment costs at most this much memory and is rejected as its row's problem instead of
 * failing the file.
 */
export const MAX_CELL_CHARS = 1_000_000;

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE_BYTE = Buffer.from('"');

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted cell: an escaped quote, the closing quote, or (relaxed) a stray one. */
  QuoteInQuoted,
}

/**
 * Sits between the UTF-8 bytes of a CSV file and csv-parse and cuts every cell after `limit`
 * characters, keeping the quotes and delimiters that give the file its shape. It follows
 * csv-parse's reading with `relax_quotes` (a quote opens a cell only at its start; `""` is a quote;
 * a quote followed by anything but a delimiter or line end is kept as text, with one more in
 * front of the cell), and counts characters
 * as code points, never splitting one. The full length of every cell that reached the limit is
 * queued in file order, so the reader can tell a cut cell from one exactly `limit` long.
 */
export class CellLimiter extends Transform {
  private readonly longCells: number[] = [];
  private state = State.FieldStart;
  private count = 0;

  constructor(
    private readonly delimiter: number,
    readonly limit = MAX_CELL_CHARS,
  ) {
    super();
  }

  /** A limiter for a one-byte ASCII delimiter; other delimiters are read without one. */
  static for(delimiter: string, limit = MAX_CELL_CHARS): CellLimiter | undefined {
    const code = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
    if (code < 0 || code >= 0x80 || code === QUOTE || code === CR || code === LF) return undefined;
    return new CellLimiter(code, limit);
  }

  /**
   * The full length of a parsed cell if it reached the limit (and so may have been cut); call it
   * for every cell, in order, so the queue stays in step with the parser.
   */
  fullLength(cell: string): number | undefined {
    if (cell.length < this.limit) return undefined;
    const chars = codePoints(cell);
    if (chars < this.limit) return undefined;
    return this.longCells.shift() ?? chars;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const out: Buffer[] = [];
    let from = 0;
    // drop byte i from the output
    const drop = (i: number): void => {
      if (i > from) out.push(chunk.subarray(from, i));
      from = i + 1;
    };
    // put back the quote held since the previous byte, just before byte i
    const quoteBefore = (i: number): void => {
      if (i > from) out.push(chunk.subarray(from, i));
      out.push(QUOTE_BYTE);
      from = i;
    };
    const d = this.delimiter;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      switch (this.state) {
        case State.FieldStart:
          if (b === QUOTE) this.state = State.Quoted;
          else if (b !== d && b !== CR && b !== LF) {
            this.state = State.Unquoted;
            if (!this.keep(b)) drop(i);
          }
          break;
        case State.Unquoted:
          if (b === d || b === CR || b === LF) this.endCell();
          else if (!this.keep(b)) drop(i);
          break;
        case State.Quoted:
          if (b === QUOTE) {
            // held back until the next byte says what it is
            this.state = State.QuoteInQuoted;
            drop(i);
          } else if (!this.keep(b)) drop(i);
          break;
        case State.QuoteInQuoted:
          if (b === QUOTE) {
            this.state = State.Quoted;
            if (this.keep(b)) quoteBefore(i);
            else drop(i);
          } else if (b === d || b === CR || b === LF) {
            quoteBefore(i);
            this.endCell();
          } else {
            // csv-parse keeps a stray closing quote as text (and puts one more quote in front of
            // the cell) and reads on unquoted
            quoteBefore(i);
            this.count += 2;
            this.state = State.Unquoted;
            if (!this.keep(b)) drop(i);
          }
          break;
      }
    }
    if (from < chunk.length) out.push(from === 0 ? chunk : chunk.subarray(from));
    done(null, out.length === 1 ? out[0] : Buffer.concat(out));
  }

  override _flush(done: TransformCallback): void {
    if (this.state === State.QuoteInQuoted) this.push(QUOTE_BYTE);
    if (this.state !== State.FieldStart) this.endCell();
    done();
  }

  /** Counts a character at its first byte; its other bytes go with it. */
  private keep(b: number): boolean {
    if ((b & 0xc0) !== 0x80) this.count++;
    return this.count <= this.limit;
  }

  private endCell(): void {
    if (this.count >= this.limit) this.longCells.push(this.count);
    this.count = 0;
    this.state = State.FieldStart;
  }
}

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}
