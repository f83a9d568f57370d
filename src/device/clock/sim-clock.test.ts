import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScaledClock } from './sim-clock.js';

describe('ScaledClock', () => {
  it('runs simulated time at its speed from its start', () => {
    let real = 1000;
    const clock = new ScaledClock({ start: 0, speed: 3600, realNow: () => real });
    assert.equal(clock.now(), 0);
    real += 1000; // one real second
    assert.equal(clock.now(), 3_600_000); // one simulated hour
  });

  it('sleeps a simulated hour in about a real millisecond at speed 3,600,000', async () => {
    const clock = new ScaledClock({ speed: 3_600_000 });
    const before = clock.now();
    await clock.sleep(3_600_000);
    assert.ok(clock.now() - before >= 3_600_000);
  });

  it('rejects a sleep when its signal aborts', async () => {
    const clock = new ScaledClock({ speed: 1 });
    const controller = new AbortController();
    const sleeping = clock.sleep(60_000, controller.signal);
    controller.abort(new Error('woken'));
    await assert.rejects(sleeping, /woken/);
  });

  it('fires a periodic timer once per period of simulated time until cancelled', async () => {
    // A simulated minute per 100 real ms. The bounds are in simulated time as the clock read it,
    // not the sleep's nominal ten minutes: a loaded machine wakes the sleep late, and the ticks
    // rightly keep coming (the full suite once counted 11).
    const clock = new ScaledClock({ speed: 600 });
    // Node's timers may fire a millisecond or two early by this clock's reading.
    const slack = 2 * 600;
    const fired: number[] = [];
    const start = clock.now();
    const timer = clock.every(60_000, () => fired.push(clock.now()));
    await clock.sleep(10 * 60_000);
    timer.cancel();
    const elapsed = clock.now() - start;
    const count = fired.length;
    await clock.sleep(5 * 60_000);
    assert.equal(fired.length, count, 'no tick after cancel');
    assert.ok(count >= 1, 'it ticked');
    assert.ok(
      count <= Math.floor((elapsed + slack) / 60_000),
      `${count} ticks in ${(elapsed / 60_000).toFixed(1)} simulated minutes`,
    );
    // Never early: tick i comes once i + 1 periods have passed.
    fired.forEach((at, i) =>
      assert.ok(at >= start + (i + 1) * 60_000 - slack, `tick ${i} at ${at - start} ms`),
    );
  });

  it('refuses a speed that is not a positive number', () => {
    assert.throws(() => new ScaledClock({ speed: 0 }), /speed/);
    assert.throws(() => new ScaledClock({ speed: Number.NaN }), /speed/);
  });
});
