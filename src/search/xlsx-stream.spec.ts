import * as ExcelJS from 'exceljs';
import { waitFor } from '../../test/support/wait-for';
import { xlsxStream } from './xlsx-stream';

const ROWS = 60_000;

async function* numbered(counter: { pulled: number }): AsyncGenerator<(string | number)[]> {
  for (let i = 1; i <= ROWS; i++) {
    if (i % 5_000 === 0) await Promise.resolve(); // rows arrive in pages, as from PostgreSQL
    counter.pulled = i;
    yield [i, `comment number ${i} with some words to make the row a realistic size`];
  }
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the writer has read some rows and then stopped reading them; returns how many. */
async function paused(counter: { pulled: number }): Promise<number> {
  let seen = -1;
  return waitFor(
    'the writer to stop reading rows while nobody reads the file',
    () => {
      const now = counter.pulled;
      const still = now > 0 && now === seen;
      seen = now;
      return Promise.resolve(still ? now : undefined);
    },
    5_000,
    50,
  );
}

describe('xlsxStream', () => {
  it('reads rows only as fast as the file is taken, then writes every row', async () => {
    const counter = { pulled: 0 };
    const errors: Error[] = [];
    const stream = xlsxStream(['n', 'text'], numbered(counter), (e) => errors.push(e));

    // Nobody reads: the writer must stop well short of the end instead of buffering it all.
    const pulledWhileWaiting = await paused(counter);
    expect(pulledWhileWaiting).toBeGreaterThan(0);
    expect(pulledWhileWaiting).toBeLessThan(ROWS / 2);

    const file = await collect(stream);
    expect(counter.pulled).toBe(ROWS);
    expect(errors).toEqual([]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    expect(sheet.rowCount).toBe(ROWS + 1);
    expect(sheet.getRow(ROWS + 1).getCell(2).text).toBe(
      `comment number ${ROWS} with some words to make the row a realistic size`,
    );
  });

  it('stops reading rows when the reader goes away', async () => {
    const counter = { pulled: 0 };
    const stream = xlsxStream(['n', 'text'], numbered(counter), () => undefined);
    await paused(counter);
    stream.destroy();
    const after = await paused(counter);
    // Stopped, and stays stopped.
    await settle(200);
    expect(counter.pulled).toBe(after);
    expect(after).toBeLessThan(ROWS);
  });
});
