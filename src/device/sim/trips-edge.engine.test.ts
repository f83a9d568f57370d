import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRequest, opsGet } from '../../../test-support/api-client.js';
import { FakePaymentGateway } from '../../../test-support/fake-payment-gateway.js';
import {
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../../../test-support/platform.js';
import {
  platformCart,
  recordingCommands,
  sendCommand,
} from '../../../test-support/platform-cart.js';
import { afterEachTap, behindTheCloud, CALM, runTrip } from '../../../test-support/trip-engine.js';
import type {
  CommandResponse,
  DeviceMessage,
  SessionEnd,
  SessionLine,
} from '../../contract/index.js';
import type { TripContext } from '../cart/fleet-cart.js';
import { mqttLinkFactory } from '../cart/uplink.js';
import { ScaledClock } from '../clock/sim-clock.js';
import { loadProvisionedDevice } from '../link/device-link.js';
import { mulberry32 } from '../random.js';
import { TRIPS } from './trips.js';

// The edge cases (connectivity loss, battery cliff and swap, parking lot) as customer scripts
// over a cart model, over real MQTT with mutual TLS into the embedded platform; assertions on
// what the cloud holds.

describe('trips end to end (embedded platform)', () => {
  it('edge 1, connectivity loss: LTE-M, store-and-forward, deferred payment, every scan replayed', async (t) => {
    const { platform, cart, result, session } = await runTrip(t, 'connectivityLoss', {
      items: 6,
    });
    const s = await session(result.sessionIds[0], 'complete');
    assert.equal(s.payment?.status, 'deferred');
    assert.equal(s.payment?.authReference, null);
    const scans = await platform.entities.listSessionScans(s.sessionId);
    assert.equal(scans.length, s.scanCount);
    assert.ok(scans.length >= result.scanned);
    const health = await opsGet(
      platform,
      `/v1/devices/${cart.deviceId}/events?type=health&limit=1000`,
    );
    const links = new Set((health.body['events'] as { link: string }[]).map((e) => e.link));
    assert.ok(links.has('lte-m'), `links seen: ${[...links]}`);
  });

  it('edge 2, battery cliff: the first cart transfers its session, the spare completes one', async (t) => {
    const { platform, cart, spare, result, session } = await runTrip(t, 'batteryCliff');
    assert.equal(cart.state, 'dead');
    await session(result.sessionIds[0], 'transferred');
    const second = await session(result.sessionIds[1], 'complete');
    assert.equal(second.deviceId, spare.deviceId);
    assert.ok(second.identifyMethod);
    const fault = await opsGet(platform, `/v1/devices/${cart.deviceId}/events?type=fault`);
    assert.equal((fault.body['events'] as { code: string }[])[0]?.code, 'battery-cliff');
  });

  it('edge 3, parking lot: parked-outside with a GNSS location, then back in the store', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-E2E-P');
    const platform = await startTestPlatform(t, data);
    const clock = new ScaledClock({ speed: 3000 });
    const cart = await platformCart(t, platform, dir, clock, {
      timing: { ...CALM, parkedPingMs: 600_000 },
    });
    await cart.powerOn();
    const ctx: TripContext = { clock, random: mulberry32(8) };
    const result = await TRIPS.parkingLot(cart, ctx, {
      items: 3,
      dwellMs: [5_000, 10_000],
      parkedMs: 35 * 60_000,
    });
    assert.equal(result.payment, 'authorized');
    assert.ok(await cart.flush(15_000));
    // The cart is outside for under a second of real time at this speed: read what the cloud
    // stored about that time rather than racing to see it as the current state.
    const pings = await eventually(async () => {
      const events = await opsGet(
        platform,
        `/v1/devices/${cart.deviceId}/events?type=health&limit=1000`,
      );
      const list = events.body['events'] as {
        state: string;
        link: string;
        location?: { lat: number; lon: number; source: string };
      }[];
      const out = list.filter((e) => e.state === 'parked-outside');
      return out.length >= 2 ? out : undefined;
    }, 'parked-outside pings in the cloud');
    const outside = pings;
    const location = outside.find((e) => e.location)?.location;
    assert.ok(location && location.lon > 13.405, 'east of the store, in the car park');
    assert.ok(outside.length >= 2 && outside.every((e) => e.link === 'lte-m'));
    await eventually(
      async () =>
        (await platform.entities.getDevice(cart.deviceId))?.state === 'idle' ? true : undefined,
      'back in the store',
    );
  });

  it('edge 2, battery swap: the cloud merges the transferred session and carries its basket to the spare once', async (t) => {
    const data = await fleetDataDir(t);
    const dirA = await provisionDevice(data, 'CART-E2E-A');
    const dirB = await provisionDevice(data, 'CART-E2E-B');
    const platform = await startTestPlatform(
      t,
      data,
      {},
      { paymentGateway: new FakePaymentGateway() },
    );
    const clock = behindTheCloud();
    const ended: SessionEnd[] = [];
    const onEnd = (m: DeviceMessage) => void (m.type === 'session-end' && ended.push(m));
    const cart = await platformCart(t, platform, dirA, clock, {
      timing: CALM,
      observer: { created: onEnd },
    });
    const link = recordingCommands(
      mqttLinkFactory(platform.mqttUrl, await loadProvisionedDevice(dirB)),
    );
    const responses: CommandResponse[] = [];
    const spare = await platformCart(t, platform, dirB, clock, {
      timing: CALM,
      link: link.factory,
      observer: {
        created: (m) => {
          onEnd(m);
          if (m.type === 'command-response') responses.push(m);
        },
      },
    });
    await cart.powerOn();
    const transferred = () => ended.find((e) => e.device_id === cart.deviceId);
    const carriedOnce: SessionLine[][] = [];
    // On the spare the customer waits until their basket shows, before shopping on.
    const waitingSpare = afterEachTap(spare, async () => {
      const carry = await eventually(
        () => link.commands.find((c) => c.args?.carried_lines !== undefined),
        'attach-customer with carried_lines on the spare',
        30_000,
      );
      const answered = () => responses.filter((r) => r.command_id === carry.command_id);
      await eventually(() => answered()[0], 'the spare answers the carry', 30_000);
      const lines = carry.args!.carried_lines!;
      assert.deepEqual(sortLines(spare.view.lines), sortLines(lines));
      // The same command again, through the broker: executed once, answered as a duplicate.
      await sendCommand(platform, carry);
      await eventually(() => answered()[1], 'the spare answers the second delivery', 30_000);
      assert.equal(answered()[1]!.duplicate, true);
      assert.equal(answered()[1]!.status, 'succeeded');
      assert.deepEqual(sortLines(spare.view.lines), sortLines(lines), 'the basket, once');
      carriedOnce.push(lines);
    });
    const ctx: TripContext = { clock, random: mulberry32(5), spareCart: () => waitingSpare };
    const result = await TRIPS.batteryCliff(cart, ctx, { items: 6, dwellMs: [5_000, 15_000] });
    assert.equal(cart.state, 'dead');
    assert.ok(await spare.flush(10_000));
    assert.equal(carriedOnce.length, 1, 'the spare received the basket');

    const [idA, idB] = result.sessionIds;
    assert.ok(idA && idB);
    const dead = transferred();
    assert.equal(dead?.session_id, idA);
    assert.equal(dead?.status, 'transferred');
    const carried = carriedOnce[0]!;
    assert.deepEqual(sortLines(carried), sortLines(dead.contents));
    const a = await eventually(async () => {
      const s = await platform.entities.getSession(idA);
      return s?.status === 'transferred' && s.mergedInto !== null ? s : undefined;
    }, 'first session transferred and merged');
    assert.equal(a.mergedInto, idB);
    const b = await eventually(async () => {
      const s = await platform.entities.getSession(idB);
      return s?.status === 'complete' ? s : undefined;
    }, 'second session complete');
    assert.equal(b.deviceId, spare.deviceId);
    // The spare's session-end holds the carried lines, and its total counts them.
    const last = ended.find((e) => e.session_id === idB);
    assert.ok(last);
    for (const line of carried) {
      const held = last.contents.find((l) => l.barcode === line.barcode);
      assert.ok(held && held.quantity >= line.quantity, `carried ${line.barcode} at checkout`);
    }
    assert.equal(last.total_cents, linesTotal(last.contents));
    assert.ok(last.total_cents >= linesTotal(carried));
    assert.equal(b.totalCents, last.total_cents);
    assert.equal(b.payment?.amountCents, last.total_cents);
    // Over the ops API: the continuing session names what it continues, and the other way.
    const viewB = await apiRequest(platform, 'GET', `/v1/sessions/${idB}`);
    assert.equal(viewB.status, 200);
    assert.deepEqual(viewB.body['mergedFrom'], [idA]);
    const viewA = await apiRequest(platform, 'GET', `/v1/sessions/${idA}`);
    assert.equal(viewA.body['mergedInto'], idB);
    assert.equal(viewA.body['status'], 'transferred');
  });
});

function sortLines(lines: readonly SessionLine[]): SessionLine[] {
  return [...lines].sort((a, b) => a.barcode.localeCompare(b.barcode));
}

function linesTotal(lines: readonly SessionLine[]): number {
  return lines.reduce((sum, l) => sum + (l.price_cents ?? 0) * l.quantity, 0);
}
