import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

/** A path into the shared reference data, written either as one string or as path pieces. */
const SHARED_DATA = /shared\/data|'shared',\s*'data'/;

function files(dir: string, keep: (f: string) => boolean): string[] {
  return fs
    .readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .filter(keep);
}

/** Exported names of a helper whose declaration (or one it uses) reaches the shared data. */
function dataExports(source: string): string[] {
  const blocks = source
    .split(/^(?=export )/m)
    .map((b) => ({ name: /^export (?:async )?(?:function|const|class) (\w+)/.exec(b)?.[1], b }))
    .filter((x): x is { name: string; b: string } => x.name !== undefined);
  const using = new Set(blocks.filter((x) => SHARED_DATA.test(x.b)).map((x) => x.name));
  for (let grew = true; grew;) {
    grew = false;
    for (const x of blocks)
      if (!using.has(x.name) && [...using].some((n) => new RegExp(`\\b${n}\\b`).test(x.b))) {
        using.add(x.name);
        grew = true;
      }
  }
  return [...using];
}

/** Every test file that reads the reference data, directly or through a test helper. */
function suitesUsingReferenceData(): string[] {
  const isTest = (f: string) => /\.(e2e-)?spec\.ts$/.test(f);
  const all = ['src', 'ingestion', 'search-config', 'test'].flatMap((d) =>
    files(d, (f) => f.endsWith('.ts')),
  );
  const helpers = all
    .filter((f) => !isTest(f))
    .map((f) => ({ f, names: dataExports(fs.readFileSync(path.join(root, f), 'utf8')) }))
    .filter((h) => h.names.length > 0);
  return all.filter((f) => {
    if (!isTest(f) || f === path.relative(root, __filename)) return false;
    const text = fs.readFileSync(path.join(root, f), 'utf8');
    if (SHARED_DATA.test(text)) return true;
    return helpers.some(
      (h) =>
        text.includes(`/${path.basename(h.f, '.ts')}'`) &&
        h.names.some((n) => new RegExp(`\\b${n}\\b`).test(text)),
    );
  });
}

describe('README: the reference data tests read', () => {
  it('says where the data folder is, beside the checkout', () => {
    expect(readme).toContain('`../shared/data/`');
    expect(readme).toMatch(/beside the checkout/);
    expect(readme).toMatch(/never\s+be\s+copied into it/);
  });

  it('names every test file that skips without it', () => {
    const suites = suitesUsingReferenceData();
    // The helper indirection is found too (search.e2e-spec reads the data through search-fixtures).
    expect(suites).toEqual(expect.arrayContaining(['test/search/search.e2e-spec.ts']));
    expect(suites.length).toBeGreaterThanOrEqual(8);
    expect(suites).not.toContain('test/search/disclosure.e2e-spec.ts'); // search-fixtures, no data
    const missing = suites.filter((f) => !readme.includes(`\`${f}\``));
    expect(missing).toEqual([]);
  });

  it('names every reference file a test reads', () => {
    const sources = ['src', 'ingestion', 'test']
      .flatMap((d) => files(d, (f) => f.endsWith('.ts')))
      .map((f) => fs.readFileSync(path.join(root, f), 'utf8'))
      .join('\n');
    const shared = path.join(root, '..', 'shared', 'data');
    const read = (fs.existsSync(shared) ? fs.readdirSync(shared) : [])
      .flatMap((d) => files(path.join('..', 'shared', 'data', d), () => true))
      .map((f) => path.basename(f))
      .filter((name) => /\.(csv|xlsx)$/.test(name) && sources.includes(`${name}'`));
    const missing = read.filter((name) => !readme.includes(name));
    expect(missing).toEqual([]);
  });
});
