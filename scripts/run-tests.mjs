#!/usr/bin/env node
// Runs the test suite with node's own test runner. Node 20 cannot expand globs in `--test`
// arguments, so the files are collected here. `--unit` leaves out tests that need engines or
// external binaries (files named *.engine.test.ts); CI runs those on the machine's Node and the
// unit tests on every other supported Node.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { testFiles } from './test-files.mjs';
import { availableParallelism } from 'node:os';

const args = process.argv.slice(2);
const measuredCpu = readMeasuredCpu();

function readMeasuredCpu() {
  try {
    return JSON.parse(readFileSync(new URL('./test-cpu.json', import.meta.url), 'utf8'));
  } catch {
    return {};
  }
}
const unitOnly = args.includes('--unit');
const filters = args.filter((a) => !a.startsWith('--'));

const files = testFiles({ unitOnly, filters })
  // The runner starts files in this order, `concurrency` at a time. Long files started last
  // would run alone at the end with a core idle, so the longest go first. scripts/test-cpu.json
  // holds each file's CPU seconds as `scripts/test-cpu-profile.mjs --weights` last measured them;
  // a file not in it is weighed by its kind (browser story, engine test, unit test). The order
  // only decides what starts when: a stale or missing list costs time, never a test.
  .sort((a, b) => weight(b) - weight(a));

function weight(file) {
  const measured = measuredCpu[file];
  if (typeof measured === 'number') return measured;
  if (file.startsWith('test/console/')) return 17;
  if (file.endsWith('.engine.test.ts')) return 12;
  return 2;
}

if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

const started = Date.now();
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${Math.max(2, availableParallelism())}`,
    '--test-reporter=spec',
    ...files,
  ],
  { stdio: 'inherit' },
);
const seconds = Math.round((Date.now() - started) / 1000);
console.log(`\n${files.length} test files in ${Math.floor(seconds / 60)} min ${seconds % 60} s`);
process.exit(result.status ?? 1);
