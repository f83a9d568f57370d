import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../../../test-support/platform.js';
import { platformCart } from '../../../test-support/platform-cart.js';
import { SHELF } from '../../../test-support/test-cart.js';
import { VirtualClock } from '../clock/virtual-clock.js';
import { expectedPct, SHIFT_PROFILE } from './power.js';

const MIN = 60_000;

// Twelve simulated hours on discrete-event time (a busy host running the whole suite cannot
// stretch a duration, as it would at a fixed speed): each hour a 26-minute trip of 60 scans, 22
// minutes awake at the dock, then the cart sleeps by itself until the next customer. The pack
// must end where the power model says, on the cart and in the cloud's last health.
describe('a 12-hour shift', () => {
  it('ends with the battery at the power model’s figure, on the cart and in the cloud', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-SHIFT');
    const platform = await startTestPlatform(t, data);
    const clock = new VirtualClock();
    const cart = await platformCart(t, platform, dir, clock, {
      flashSync: false,
      timing: {
        pauseAfterMs: 10 * MIN,
        sleepAfterMs: 20 * MIN,
        // The cart sleeps 22 minutes after the customer leaves, as in the model's shift hour.
        idleSleepAfterMs: 22 * MIN,
        // Health as the PRD has it; idle health less often keeps the run short.
        healthIdleMs: 10 * MIN,
      },
    });
    const start = clock.now();
    await cart.powerOn();
    // The script is busy except while it waits for its next appointment.
    let waiting = false;
    let done = false;
    const at = async (ms: number) => {
      const wait = start + ms - clock.now();
      if (wait <= 0) return;
      waiting = true;
      await clock.sleep(wait);
      waiting = false;
    };
    const shift = (async () => {
      for (let hour = 0; hour < 12; hour++) {
        const h0 = hour * 60 * MIN;
        await at(h0);
        await cart.startAsGuest();
        for (let i = 0; i < 60; i++) {
          // The trip lasts 26 minutes even if the host is too busy for all 60 reads in time.
          if (clock.now() - start > h0 + 25 * MIN) break;
          await at(h0 + i * 25_000);
          // One read per item: retries would add bursts the profile does not have.
          await cart.scanItem(SHELF.products[i]!);
        }
        await at(h0 + 26 * MIN);
        await cart.checkout({ kind: 'payment', cardId: `card-${hour}` });
      }
      await at(12 * 60 * MIN);
      // The next customer wakes it: a health report with the battery goes out.
      await cart.touch();
    })().finally(() => (done = true));
    await clock.runUntil(start + 12 * 60 * MIN + MIN, { busy: () => !waiting && !done });
    await shift;
    const pct = cart.batteryPct();
    const model = expectedPct(SHIFT_PROFILE);
    const minutes: Record<string, number> = {};
    for (const s of cart.powerLog) minutes[s.state] = (minutes[s.state] ?? 0) + s.durationMs / MIN;
    assert.ok(
      Math.abs(pct - model) < 1.5,
      `cart ${pct.toFixed(2)} % vs model ${model.toFixed(2)} %: ${JSON.stringify(minutes)}`,
    );
    // Its own log of states replays through the pure model to the same figure.
    assert.ok(Math.abs(expectedPct(cart.powerLog) - pct) < 0.01);
    const states = new Set(cart.powerLog.map((s) => s.state));
    assert.deepEqual([...states].sort(), ['deep-sleep', 'idle', 'scan-burst', 'shopping']);

    assert.ok(await cart.flush(20_000));
    const device = await eventually(
      async () => {
        const d = await platform.entities.getDevice(cart.deviceId);
        return d && d.batteryPct !== null && Math.abs(d.batteryPct - pct) < 0.2 ? d : undefined;
      },
      'the last health in the cloud',
      20_000,
    );
    assert.ok(Math.abs(device.batteryPct! - model) < 1.5);
  });
});
