#!/usr/bin/env -S node --max-semi-space-size=64
// --max-semi-space-size=64: a young generation of 64 MB instead of 16. Under load thousands of
// messages are in flight for a few hundred milliseconds each, so a small young generation is
// scavenged often and copies the same live messages every time: a quarter of the event loop went
// to garbage collection at 100 devices × 32 in flight; with 64 MB about a tenth, and the platform
// stores 15–25 % more a second (decision 034). bench/node-flags.ts keeps the benches on it.
// The published entry point runs the compiled CLI; `npm install` builds it (the prepare script).
import { main } from '../dist/cli/main.js';

// `fleetplane … | head` closes the pipe early: that is the reader's choice, not a failure.
// A terminal that closed (SIGHUP, then EIO on write) must not crash the clean stop under way.
// A running platform whose reader went (the npx that launched it was killed) stops as on SIGTERM,
// once, so it still releases its lock; a one-shot command just ends.
let readerGone = false;
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') {
    if (readerGone) return;
    readerGone = true;
    if (process.listenerCount('SIGTERM') > 0) process.kill(process.pid, 'SIGTERM');
    else process.exit(process.exitCode ?? 0);
    return;
  }
  if (error.code !== 'EIO') throw error;
});
process.stderr.on('error', (error) => {
  if (error.code !== 'EIO' && error.code !== 'EPIPE') throw error;
});

process.exitCode = await main(process.argv.slice(2));
