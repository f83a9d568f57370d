import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runFleet } from '../../device/sim/fleet.js';
import { fleetDataDir, startTestPlatform, STORE } from '../../../test-support/platform.js';
import { simCarts } from './cart-factory.js';
import { entityPlatformView } from './entity-platform-view.js';
import { provisionFleet } from './provision-fleet.js';
import { storeShelf } from './sim-catalog.js';

const site = {
  storeId: STORE,
  currency: 'EUR',
  geofence: { lat: 52.52, lon: 13.405, radiusM: 150 },
};

// The demo's way of running carts (its own scaled clock from now, the embedded platform's entity
// store as the check's view), twice on the same carts and data directory, as a person who runs
// `fleetplane demo` a second time does.
describe('a second simulated run on the same carts and platform', () => {
  it('judges only its own sessions, and its carts stamp times the platform can measure', async (t) => {
    const data = await fleetDataDir(t);
    const { identities } = await provisionFleet(data, STORE, 2, { now: () => new Date() });
    const platform = await startTestPlatform(t, data);
    const { createCart, scenarios } = simCarts({
      mqttUrl: platform.mqttUrl,
      seed: 3,
      shelf: storeShelf(STORE),
    });
    const run = (seed: number) =>
      runFleet({
        identities,
        site,
        createCart,
        scenario: scenarios.golden,
        durationMs: 20 * 60_000,
        speed: 600,
        seed,
        meanIdleMs: 3 * 60_000,
        closingGraceMs: 20 * 60_000,
        verify: { view: entityPlatformView(platform.entities), settleMs: 5000 },
        flushTimeoutMs: 60_000,
      });

    const realStart = Date.now();
    const first = await run(1);
    assert.ok(first.sessions > 0, 'the first run left sessions on the platform');
    assert.deepEqual(first.invariants?.violations, []);
    const second = await run(2);
    assert.ok(second.sessions > 0, 'the second run made sessions of its own');
    // Before: the first run's sessions, stamped up to 40 simulated minutes ahead of the wall
    // clock, fell into the second run's window and were reported as sessions no cart started.
    assert.deepEqual(second.invariants?.violations, []);
    assert.equal(second.invariants?.checkedSessions, second.sessions);
    const realEnd = Date.now();

    // Publish-to-arrival is arrival minus the device's timestamp: a simulated cart's timestamp
    // is never later than its arrival, and no message waited longer than both runs took.
    const events = await platform.telemetry.eventsAfter(0, 100_000);
    const ours = events.filter((e) => identities.some((i) => i.serial === e.deviceId));
    assert.ok(ours.length > 0);
    for (const e of ours) {
      const what = `${e.deviceId} ${e.type} #${e.counter}`;
      assert.ok(
        e.deviceTime <= e.receivedAt,
        `${what}: stamped ${e.deviceTime - e.receivedAt} ms after it arrived`,
      );
      assert.ok(e.deviceTime >= realStart, `${what}: stamped before the runs began`);
      assert.ok(e.receivedAt <= realEnd, `${what}: arrived after the runs ended`);
    }
  });
});
