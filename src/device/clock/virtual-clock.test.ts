import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VirtualClock } from './virtual-clock.js';

describe('VirtualClock', () => {
  it('runs timers in simulated-time order, however long the host takes', async () => {
    const clock = new VirtualClock(0, 0);
    const seen: string[] = [];
    const ticker = clock.every(60_000, () => seen.push(`tick@${clock.now()}`));
    void (async () => {
      await clock.sleep(90_000);
      seen.push(`woke@${clock.now()}`);
      ticker.cancel();
    })();
    clock.after(30_000, () => seen.push(`after@${clock.now()}`));
    await clock.runUntil(600_000);
    assert.deepEqual(seen, ['after@30000', 'tick@60000', 'woke@90000']);
    assert.equal(clock.now(), 600_000);
  });
});
