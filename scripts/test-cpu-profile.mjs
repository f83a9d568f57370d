#!/usr/bin/env node
// Where the test suite's time goes, in CPU seconds rather than wall seconds: on a shared machine
// wall time follows the load, CPU time barely does. Each test file runs in its own
// `node --import tsx --test FILE` under /usr/bin/time, which counts the process and every child
// it waited for (PostgreSQL clients, openssl, the CLI, Chromium). Children a test starts detached
// and never waits for (a platform started with `start --detach`, a daemon) escape that count; the
// wall column shows such files anyway.
//
//   node scripts/test-cpu-profile.mjs [--jobs=N] [--unit] [--out=FILE.json] [--weights]
//                                     [path-substring ...]
//
// --weights merges the measured CPU seconds into scripts/test-cpu.json, the order in which
// scripts/run-tests.mjs starts files (longest first); drop entries of deleted files by hand.
//
// Prints one row per file sorted by CPU, then totals. Engines are required
// (FLEETPLANE_REQUIRE_ENGINES=1), so a file that would skip fails instead of looking cheap.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testFiles } from './test-files.mjs';

const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const jobs = Number(option('jobs') ?? 2);
const out = option('out');
const unitOnly = args.includes('--unit');
const writeWeights = args.includes('--weights');
const filters = args.filter((a) => !a.startsWith('--'));

const files = testFiles({ unitOnly, filters });

if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'fleetplane-cpu-'));
const rows = [];
const started = Date.now();

function runOne(file, index) {
  const timeFile = join(scratch, `${index}.time`);
  return new Promise((resolve) => {
    const child = spawn(
      '/usr/bin/time',
      ['-f', '%U %S %e', '-o', timeFile, process.execPath, '--import', 'tsx', '--test', file],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, FLEETPLANE_REQUIRE_ENGINES: '1' },
      },
    );
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => {
      let user = NaN;
      let sys = NaN;
      let wall = NaN;
      try {
        // /usr/bin/time writes "Command exited with non-zero status N" first when the test fails.
        const last = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1);
        [user, sys, wall] = last.split(' ').map(Number);
      } catch {
        // no timing: the row shows NaN
      }
      const tests = Number(/^# tests (\d+)/m.exec(output)?.[1] ?? NaN);
      const row = { file, cpu: user + sys, user, sys, wall, tests, ok: code === 0 };
      rows.push(row);
      process.stderr.write(
        `[${rows.length}/${files.length}] ${row.ok ? 'ok  ' : 'FAIL'} ${row.cpu.toFixed(1).padStart(6)} cpu s ${row.wall.toFixed(1).padStart(6)} wall s  ${file}\n`,
      );
      if (!row.ok) process.stderr.write(output.split('\n').slice(-30).join('\n') + '\n');
      resolve();
    });
  });
}

let next = 0;
async function worker() {
  while (next < files.length) {
    const index = next++;
    await runOne(files[index], index);
  }
}
await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
rmSync(scratch, { recursive: true, force: true });

rows.sort((a, b) => b.cpu - a.cpu);
const total = (key) => rows.reduce((sum, r) => sum + (Number.isFinite(r[key]) ? r[key] : 0), 0);
console.log('   cpu s   user s    sys s   wall s  tests  file');
for (const r of rows) {
  console.log(
    `${r.cpu.toFixed(1).padStart(8)} ${r.user.toFixed(1).padStart(8)} ${r.sys.toFixed(1).padStart(8)} ${r.wall.toFixed(1).padStart(8)} ${String(r.tests).padStart(6)}  ${r.file}${r.ok ? '' : '  (FAILED)'}`,
  );
}
const engine = rows.filter((r) => r.file.endsWith('.engine.test.ts'));
const sum = (list, key) => list.reduce((s, r) => s + (Number.isFinite(r[key]) ? r[key] : 0), 0);
console.log(
  `\n${rows.length} files, ${total('tests')} tests: ${total('cpu').toFixed(0)} cpu s ` +
    `(engine files ${sum(engine, 'cpu').toFixed(0)}, others ${(total('cpu') - sum(engine, 'cpu')).toFixed(0)}), ` +
    `sum of wall ${total('wall').toFixed(0)} s, elapsed ${Math.round((Date.now() - started) / 1000)} s with ${jobs} at a time; ` +
    `${rows.filter((r) => !r.ok).length} failed`,
);
if (out) writeFileSync(out, JSON.stringify(rows, null, 2) + '\n');
if (writeWeights) {
  const file = new URL('./test-cpu.json', import.meta.url);
  let weights = {};
  try {
    weights = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // first measurement
  }
  for (const r of rows)
    if (r.ok && Number.isFinite(r.cpu)) weights[r.file] = Math.round(r.cpu * 10) / 10;
  const sorted = Object.fromEntries(Object.entries(weights).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(file, JSON.stringify(sorted, null, 2) + '\n');
}
process.exit(rows.every((r) => r.ok) ? 0 : 1);
