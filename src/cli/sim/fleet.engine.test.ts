import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { CartObserver } from '../../device/cart/fleet-cart.js';
import { runFleet } from '../../device/sim/fleet.js';
import type { CreateCart } from '../../device/sim/fleet-types.js';
import type { Cart } from '../../device/cart/cart.js';
import {
  eventually,
  fleetDataDir,
  startTestPlatform,
  STORE,
} from '../../../test-support/platform.js';
import { issueToken, loadTokenKeys } from '../../surfaces/api/tokens.js';
import { httpPlatformView } from '../../device/sim/http-platform-view.js';
import type { RunningPlatform } from '../../platform/platform.js';
import { apiRequest, platformFetch } from '../../../test-support/api-client.js';
import type { AlarmView } from '../../stores/entities/entity-store.js';
import { simCarts } from './cart-factory.js';
import { entityPlatformView } from './entity-platform-view.js';
import { provisionFleet } from './provision-fleet.js';
import { storeShelf } from './sim-catalog.js';

const site = {
  storeId: STORE,
  currency: 'EUR',
  geofence: { lat: 52.52, lon: 13.405, radiusM: 150 },
};
const shelf = storeShelf(STORE);

function fleet(c: ReturnType<typeof carts>, scenario: 'golden' | 'mixed') {
  return { createCart: c.createCart, scenario: c.scenarios[scenario] };
}

function carts(mqttUrl: string, wrap?: (o: CartObserver) => CartObserver) {
  const { createCart, scenarios } = simCarts({ mqttUrl, seed: 7, shelf });
  const create: CreateCart<Cart> = (identity, s, clock, observer, deviceClock) =>
    createCart(identity, s, clock, wrap ? wrap(observer) : observer, deviceClock);
  return { createCart: create, scenarios };
}

// Five carts over real mutual TLS against the embedded platform, two simulated hours in seconds.
describe('fleet simulator against the embedded platform', () => {
  it('runs a mixed day with faults and the platform holds exactly what the carts did', async (t) => {
    const data = await fleetDataDir(t);
    const { identities } = await provisionFleet(data, STORE, 5, { now: () => new Date() });
    const platform = await startTestPlatform(t, data);
    const result = await runFleet({
      identities,
      site,
      ...fleet(carts(platform.mqttUrl), 'mixed'),
      durationMs: 2 * 3600_000,
      speed: 1800,
      seed: 42,
      meanIdleMs: 5 * 60_000,
      faults: [
        { kind: 'links-down', atMs: 20 * 60_000, forMs: 15 * 60_000, fraction: 0.4 },
        // The whole run on one cart: an idle cart still reports health every 5 minutes.
        { kind: 'corrupt-payloads', atMs: 0, forMs: 2 * 3600_000, fraction: 0.2, rate: 0.2 },
        { kind: 'clock-skew', atMs: 0, fraction: 0.2, skewMs: -90_000 },
        { kind: 'miscalibrated-weight', atMs: 0, fraction: 0.2, offsetG: 60 },
        { kind: 'battery-cliff', atMs: 70 * 60_000, fraction: 0.2 },
        { kind: 'reboot', atMs: 50 * 60_000, fraction: 0.2 },
      ],
      // Through the ops API, as `fleetplane sim` checks: sessions, paging, devices.
      verify: { view: await opsView(platform), settleMs: 15_000 },
      // Generous: the whole suite runs beside this test on two cores.
      flushTimeoutMs: 60_000,
    });
    const { invariants, ...summary } = result;
    assert.deepEqual(invariants?.violations, [], JSON.stringify(summary));
    assert.equal(result.invariants?.checkedSessions, result.sessions);
    assert.deepEqual(result.invariants?.notChecked, [], 'the ops API lets every check run');
    assert.ok(result.sessions >= 5, `sessions ${result.sessions}`);
    // Simulated time runs against the wall clock: on an overloaded machine fewer trips fit in.
    assert.ok(result.scans > 10, `scans ${result.scans}`);
    assert.ok(result.replays > 0, 'links down: buffered messages replayed');
    assert.ok(result.scanAckOffline.count > 0, 'some scans acknowledged offline');
    assert.ok((result.rejects.signature ?? 0) > 0, 'corrupted payloads refused');
    assert.deepEqual(result.unflushed, []);
    assert.equal(result.tripErrors, 0, result.errors.join('\n'));
    assert.equal(result.faultsApplied['links-down'], 2);
    // The battery-cliff cart reported its pack under 15 % (the default cart rule) and, docked
    // with a fresh pack at the end of the day, above 20 %: one alarm, in and out again.
    // The dock's last health message may still be on its way through projection.
    let seen: AlarmView[] = [];
    const battery = await eventually(async () => {
      const { body } = await apiRequest(platform, 'GET', '/v1/alarms?limit=500');
      seen = (body['alarms'] as AlarmView[]).filter((a) => a.ruleId === 'battery-low');
      return seen.length === 1 && seen[0]!.state === 'resolved' ? seen[0]! : undefined;
    }, 'one battery-low alarm, resolved').catch((error: unknown) => {
      throw new Error(`${String(error)}; battery-low alarms: ${JSON.stringify(seen)}`);
    });
    assert.ok(Number(battery.reading['battery_pct']) < 15);
    assert.equal(battery.resolvedBy, 'rule');
  });

  it('fails the check when the ledger claims a session no cart sent', async (t) => {
    const data = await fleetDataDir(t);
    const { identities } = await provisionFleet(data, STORE, 2, { now: () => new Date() });
    const platform = await startTestPlatform(t, data);
    const phantom = randomUUID();
    let told = false;
    // A cart that tells its observer of a session it never sends.
    const lying = (observer: CartObserver): CartObserver => ({
      ...observer,
      created(message) {
        observer.created?.(message);
        if (message.type === 'session-start' && !told) {
          told = true;
          observer.created?.({ ...message, session_id: phantom, counter: message.counter + 1e9 });
        }
      },
    });
    const result = await runFleet({
      identities,
      site,
      ...fleet(carts(platform.mqttUrl, lying), 'golden'),
      durationMs: 3600_000,
      speed: 1800,
      seed: 1,
      meanIdleMs: 5 * 60_000,
      verify: { view: entityPlatformView(platform.entities), settleMs: 2000 },
    });
    assert.deepEqual(
      result.invariants?.violations.map((v) => [v.kind, v.sessionId]),
      [['session-missing', phantom]],
    );
  });
});

async function opsView(platform: RunningPlatform) {
  const keys = await loadTokenKeys(platform.layout.tokenKey);
  const token = await issueToken(
    keys,
    { role: 'ops', subject: 'sim-test', ttlSeconds: 600 },
    new Date(),
  );
  return httpPlatformView(platform.apiUrl, token, { fetch: platformFetch(platform) });
}
