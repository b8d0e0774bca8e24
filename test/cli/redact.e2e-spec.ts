import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'bin', 'insight-bank.js');
const run = (args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 120000 });

describe('insight-bank redact and quality:pii', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ib-redact-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints one JSON line per comment with placeholders and entity offsets', () => {
    const file = path.join(dir, 'comments.txt');
    const lines = [
      'Call me on 07700 900123 please',
      'Dr Patel was great, ward 7, 10mg twice a day',
      'Nothing to add',
    ];
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const r = run(['redact', file]);
    expect(r.status).toBe(0);
    const out = r.stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            text: string;
            entities: Array<{ type: string; start: number; end: number }>;
          },
      );
    expect(out).toHaveLength(3);
    expect(out[0].text).toBe('Call me on [PHONE] please');
    expect(out[0].entities).toEqual([{ type: 'PHONE', start: 11, end: 23 }]);
    expect(lines[0].slice(11, 23)).toBe('07700 900123');
    expect(out[1].text).toBe('Dr [NAME] was great, ward 7, 10mg twice a day');
    expect(out[2]).toEqual({ text: 'Nothing to add', entities: [] });
  });

  it('reads a CSV column with --text-column, and names a missing column', () => {
    const file = path.join(dir, 'export.csv');
    fs.writeFileSync(file, 'id,Your comments\n1,"Email jo@example.com, thanks"\n2,Fine\n');
    const r = run(['redact', file, '--text-column', 'Your comments']);
    expect(r.status).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { text: string }).text),
    ).toEqual(['Email [EMAIL], thanks', 'Fine']);
    const bad = run(['redact', file, '--text-column', 'Comment']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('no column "Comment"');
    expect(bad.stderr).not.toContain('jo@example.com');
  });

  it('quality:pii prints precision and recall per identifier type', () => {
    const r = run(['quality:pii']);
    expect(r.status).toBe(0);
    for (const t of ['NHS_NUMBER', 'EMAIL', 'PHONE', 'NI_NUMBER', 'POSTCODE', 'NAME'])
      expect(r.stdout).toContain(t);
    expect(r.stdout).toMatch(/precision/i);
    expect(r.stdout).toMatch(/recall/i);
  });
});
