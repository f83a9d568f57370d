#!/usr/bin/env node
// The published entry point runs the compiled CLI; `npm install` builds it (the prepare script).
import { main } from '../dist/cli/main.js';

// `fleetplane … | head` closes the pipe early: that is the reader's choice, not a failure.
// A terminal that closed (SIGHUP, then EIO on write) must not crash the clean stop under way.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  if (error.code !== 'EIO') throw error;
});
process.stderr.on('error', (error) => {
  if (error.code !== 'EIO' && error.code !== 'EPIPE') throw error;
});

process.exitCode = await main(process.argv.slice(2));
