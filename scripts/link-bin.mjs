#!/usr/bin/env node
// Links the project's own command into node_modules/.bin, run by `prepare` after every install.
// npm links the bins of dependencies there, never the project's own; without this link,
// `npx fleetplane` in a clone installs the project into npm's npx cache as a package of its own
// and runs it from there: some 8 s of npm on every command (3 s with the link), and a broken
// cache entry when that first install is interrupted.
import { existsSync, lstatSync, mkdirSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

const bin = join('node_modules', '.bin');
const link = join(bin, 'fleetplane');
if (process.platform !== 'win32' && existsSync('node_modules')) {
  mkdirSync(bin, { recursive: true });
  try {
    if (lstatSync(link)) unlinkSync(link);
  } catch {
    // no link yet
  }
  symlinkSync(join('..', '..', 'bin', 'fleetplane.js'), link);
}
