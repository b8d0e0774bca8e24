#!/usr/bin/env node
'use strict';
// Runs the compiled CLI, building it first when the TypeScript sources are newer than the build.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'dist', 'src', 'cli', 'main.js');
const stamp = path.join(root, 'dist', '.tsbuildinfo.build');
const SOURCES = ['src', 'ingestion', 'search-config', 'migrations', 'bench'];

function newestSource(dir) {
  let newest = 0;
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function buildIfNeeded() {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!fs.existsSync(tsc)) return; // production install without dev tools: use the shipped build
  const built = fs.existsSync(entry) && fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  const newest = Math.max(...SOURCES.map((d) => newestSource(path.join(root, d))), fs.statSync(path.join(root, 'tsconfig.json')).mtimeMs);
  if (built >= newest) return;
  process.stderr.write('Building the Insight Bank (TypeScript)...\n');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    process.stderr.write('The build failed; see the errors above.\n');
    process.exit(r.status || 1);
  }
  fs.utimesSync(stamp, new Date(), new Date());
}

buildIfNeeded();
require(entry);
