import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import { T0 } from '../../../test-support/entity-events.js';
import type { ColdchainReading, EntityStore, ProductProfile } from './entity-store.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const chilled: ProductProfile = {
  profileId: 'chilled',
  name: 'Chilled',
  minTempC: 2,
  maxTempC: 8,
  maxHumidityPct: null,
  maxShockG: 2,
};

function reading(deviceId: string, counter: number, minute: number, t = 4): ColdchainReading {
  return {
    deviceId,
    counter,
    readAt: T0 + minute * MIN,
    temperatureC: t,
    humidityPct: 60,
    shockG: 0.1,
    expiresAt: T0 + minute * MIN + 90 * DAY,
  };
}

/** Shipments, readings and excursions (entity-store.contract.ts runs these). */
export function coldChainContractTests(
  open: (t: TestContext) => Promise<EntityStore | undefined>,
): void {
  it('binds sensors to one open shipment at a time and closes it once', async (t) => {
    const store = await open(t);
    if (!store) return;
    const base = { profile: chilled, startedAt: T0, createdBy: 'ops' };
    const made = await store.createShipment({
      ...base,
      shipmentId: 'S1',
      deviceIds: ['CC-1', 'CC-2'],
    });
    assert.equal(made.created, true);
    assert.deepEqual(
      await store.createShipment({ ...base, shipmentId: 'S1', deviceIds: ['CC-3'] }),
      {
        created: false,
        reason: 'exists',
      },
    );
    assert.deepEqual(
      await store.createShipment({ ...base, shipmentId: 'S2', deviceIds: ['CC-2'] }),
      {
        created: false,
        reason: 'device-bound',
        deviceId: 'CC-2',
      },
    );
    const closed = await store.closeShipment('S1', T0 + 60 * MIN, 'ops-2');
    assert.equal(closed?.closedAt, new Date(T0 + 60 * MIN).toISOString());
    // Closing again keeps the first close.
    const again = await store.closeShipment('S1', T0 + 90 * MIN, 'ops-3');
    assert.deepEqual([again?.closedAt, again?.closedBy], [closed?.closedAt, 'ops-2']);
    // A shipment that starts before the last one closed would share its readings: refused.
    const overlap = await store.createShipment({
      ...base,
      shipmentId: 'S2',
      deviceIds: ['CC-2'],
      startedAt: T0 + 30 * MIN,
    });
    assert.equal(overlap.created, false);
    const next = await store.createShipment({
      ...base,
      shipmentId: 'S2',
      deviceIds: ['CC-2'],
      startedAt: T0 + 60 * MIN,
    });
    assert.equal(next.created, true);
    assert.deepEqual(
      (await store.listShipments({ limit: 10 })).map((s) => s.shipmentId),
      ['S2', 'S1'],
    );
    assert.deepEqual(
      (await store.listShipments({ open: true, limit: 10 })).map((s) => s.shipmentId),
      ['S2'],
    );
    assert.deepEqual((await store.getShipment('S1'))?.deviceIds, ['CC-1', 'CC-2']);
    assert.equal(await store.getShipment('nope'), undefined);
  });

  it('attributes a reading to the shipment bound at its time, once per device and counter', async (t) => {
    const store = await open(t);
    if (!store) return;
    const base = { profile: chilled, createdBy: 'ops', deviceIds: ['CC-1'] };
    await store.createShipment({ ...base, shipmentId: 'S1', startedAt: T0 });
    await store.closeShipment('S1', T0 + 10 * MIN, 'ops');
    await store.createShipment({ ...base, shipmentId: 'S2', startedAt: T0 + 10 * MIN });
    const pairs = await store.recordColdchainReadings([
      reading('CC-1', 1, -5), // before any shipment: not kept
      reading('CC-1', 2, 5),
      reading('CC-1', 3, 10), // at S1's close: S2's
      reading('CC-9', 1, 5), // an unbound sensor
    ]);
    assert.deepEqual(pairs.map((p) => `${p.shipmentId}/${p.deviceId}`).sort(), [
      'S1/CC-1',
      'S2/CC-1',
    ]);
    assert.deepEqual(await store.recordColdchainReadings([reading('CC-1', 2, 5)]), []);
    assert.deepEqual(
      (await store.listShipmentReadings({ shipmentId: 'S1', deviceId: 'CC-1' }, null)).map(
        (r) => r.counter,
      ),
      [2],
    );
    // A late reading takes its place in time.
    await store.recordColdchainReadings([reading('CC-1', 5, 30), reading('CC-1', 4, 20, 9)]);
    assert.deepEqual(
      (await store.listShipmentReadings({ shipmentId: 'S2', deviceId: 'CC-1' }, null)).map((r) => [
        r.counter,
        r.temperatureC,
      ]),
      [
        [3, 4],
        [4, 9],
        [5, 4],
      ],
    );
    assert.equal((await store.getShipment('S2'))?.readings, 3);
  });

  it('replaces a pair’s excursions by key, so writing the same set again changes nothing', async (t) => {
    const store = await open(t);
    if (!store) return;
    await store.createShipment({
      shipmentId: 'S1',
      profile: chilled,
      createdBy: 'ops',
      deviceIds: ['CC-1'],
      startedAt: T0,
    });
    const pair = { shipmentId: 'S1', deviceId: 'CC-1' };
    const open1 = {
      kind: 'temperature' as const,
      startedAt: T0 + 5 * MIN,
      endedAt: null,
      peak: 9,
      peakAt: T0 + 5 * MIN,
      limit: 8,
      readings: 2,
    };
    assert.equal(await store.replaceExcursions(pair, [open1], 90 * DAY, null), 1);
    assert.equal(await store.replaceExcursions(pair, [open1], 90 * DAY, null), 0);
    const closed = { ...open1, endedAt: T0 + 20 * MIN, peak: 9.5, readings: 3 };
    assert.equal(await store.replaceExcursions(pair, [closed], 90 * DAY, null), 1);
    const [view] = await store.listExcursions({ shipmentId: 'S1', limit: 10 });
    assert.deepEqual(
      [view?.kind, view?.profileId, view?.durationS, view?.peak, view?.readings],
      ['temperature', 'chilled', 900, 9.5, 3],
    );
    // An earlier start (a late reading) is another excursion: the old one goes.
    const moved = { ...closed, startedAt: T0 + 2 * MIN };
    assert.equal(await store.replaceExcursions(pair, [moved], 90 * DAY, null), 2);
    const list = await store.listExcursions({ limit: 10 });
    assert.deepEqual(
      list.map((e) => e.startedAt),
      [new Date(T0 + 2 * MIN).toISOString()],
    );
    assert.equal((await store.getShipment('S1'))?.excursions, 1);
  });

  it('finds the reading that settles the detector, and replaces only the excursions after it', async (t) => {
    const store = await open(t);
    if (!store) return;
    await store.createShipment({
      shipmentId: 'S1',
      profile: chilled,
      createdBy: 'ops',
      deviceIds: ['CC-1'],
      startedAt: T0,
    });
    const pair = { shipmentId: 'S1', deviceId: 'CC-1' };
    // 4, 9 (out), 4, 9, 9 (an excursion from 15), 4 (its close), 4, 4
    const temps = [4, 9, 4, 9, 9, 4, 4, 4];
    await store.recordColdchainReadings(temps.map((c, i) => reading('CC-1', i + 1, i * 5, c)));
    const e = {
      kind: 'temperature' as const,
      startedAt: T0 + 15 * MIN,
      endedAt: T0 + 25 * MIN,
      peak: 9,
      peakAt: T0 + 15 * MIN,
      limit: 8,
      readings: 2,
    };
    await store.replaceExcursions(pair, [e], 90 * DAY, null);
    // Before minute 40: 35 is in range and after the excursion's closing reading (25).
    assert.deepEqual(await store.findExcursionAnchor(pair, T0 + 40 * MIN), {
      readAt: T0 + 35 * MIN,
      counter: 8,
    });
    // Before minute 30: 25 closes the excursion and 20, 15 are inside it; 10 is the anchor.
    assert.deepEqual(await store.findExcursionAnchor(pair, T0 + 30 * MIN), {
      readAt: T0 + 10 * MIN,
      counter: 3,
    });
    assert.equal(await store.findExcursionAnchor(pair, T0), null);
    const after = await store.listShipmentReadings(pair, { readAt: T0 + 10 * MIN, counter: 3 });
    assert.deepEqual(
      after.map((r) => r.counter),
      [4, 5, 6, 7, 8],
    );
    // Replacing after minute 30 leaves the excursion that started at 15.
    assert.equal(await store.replaceExcursions(pair, [], 90 * DAY, T0 + 30 * MIN), 0);
    assert.equal((await store.listExcursions({ limit: 10 })).length, 1);
    assert.equal(await store.replaceExcursions(pair, [], 90 * DAY, T0 + 10 * MIN), 1);
  });

  it('expires readings and excursions past their time', async (t) => {
    const store = await open(t);
    if (!store) return;
    await store.createShipment({
      shipmentId: 'S1',
      profile: chilled,
      createdBy: 'ops',
      deviceIds: ['CC-1'],
      startedAt: T0,
    });
    await store.recordColdchainReadings([
      reading('CC-1', 1, 1),
      { ...reading('CC-1', 2, 2), expiresAt: T0 + 200 * DAY },
    ]);
    const pair = { shipmentId: 'S1', deviceId: 'CC-1' };
    const e = {
      kind: 'shock' as const,
      startedAt: T0 + MIN,
      endedAt: T0 + 2 * MIN,
      peak: 3,
      peakAt: T0 + MIN,
      limit: 2,
      readings: 1,
    };
    await store.replaceExcursions(pair, [e], 90 * DAY, null);
    assert.equal(await store.expireColdchain(T0 + 91 * DAY), 2);
    assert.deepEqual(
      (await store.listShipmentReadings({ shipmentId: 'S1', deviceId: 'CC-1' }, null)).map(
        (r) => r.counter,
      ),
      [2],
    );
    assert.deepEqual(await store.listExcursions({ limit: 10 }), []);
  });

  it('adds a custom product profile once', async (t) => {
    const store = await open(t);
    if (!store) return;
    const vaccine = { ...chilled, profileId: 'vaccine', name: 'Vaccines', maxHumidityPct: 70 };
    assert.equal(await store.addProductProfile(vaccine), true);
    assert.equal(await store.addProductProfile({ ...vaccine, name: 'other' }), false);
    assert.deepEqual(await store.listProductProfiles(), [vaccine]);
  });
}
