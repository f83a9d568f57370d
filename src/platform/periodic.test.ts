import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { periodic } from './periodic.js';

describe('periodic', () => {
  it('skips ticks while a run is in flight, and stop waits for that run', async () => {
    let started = 0;
    let finished = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const job = periodic(5, async () => {
      started++;
      await gate;
      finished++;
    });
    // Many ticks pass while the first run waits on the gate.
    await sleep(60);
    assert.equal(started, 1);
    const stopped = job.stop();
    release();
    await stopped;
    assert.equal(finished, 1);
  });
});
