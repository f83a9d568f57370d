import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { DeviceMessageType } from '../../contract/index.js';
import type { TelemetryRecord, TelemetryStore } from './telemetry-store.js';

const T0 = Date.parse('2026-11-23T09:00:00.000Z');

export function record(
  deviceId: string,
  counter: number,
  overrides: Partial<TelemetryRecord> = {},
): TelemetryRecord {
  const type: DeviceMessageType = overrides.type ?? 'health';
  return {
    deviceId,
    counter,
    storeId: 'berlin-1',
    deviceClass: 'cart',
    type,
    deviceTime: T0 + counter * 1000,
    receivedAt: T0 + counter * 1000 + 40,
    body: JSON.stringify({ device_id: deviceId, counter, type }),
    signature: new Uint8Array(64).fill(counter % 256),
    ...overrides,
  };
}

/** What every telemetry store adapter must do; each adapter's test runs this suite. */
export function runTelemetryStoreContract(
  name: string,
  open: (t: TestContext, retentionDays?: number) => Promise<TelemetryStore>,
): void {
  describe(`TelemetryStore contract: ${name}`, () => {
    it('stores a (device, counter) once, however often it arrives, within and across batches', async (t) => {
      const store = await open(t);
      t.after(() => store.close());
      const first = await store.append([record('CART-0001', 1), record('CART-0001', 1)]);
      assert.deepEqual(first.fresh, [true, false]);
      const again = await store.append([record('CART-0001', 1), record('CART-0002', 1)]);
      assert.deepEqual(again.fresh, [false, true]);
      assert.equal(await store.count(), 2);
    });

    it('tells the sequence number each fresh record got, the one the change feed shows', async (t) => {
      const store = await open(t);
      t.after(() => store.close());
      await store.append([record('CART-0001', 1)]);
      const { seqs } = await store.append([
        record('CART-0001', 2),
        record('CART-0001', 1),
        record('CART-0002', 1),
      ]);
      assert.equal(seqs[1], null);
      const feed = await store.eventsAfter(0, 10);
      const seqOf = (deviceId: string, counter: number) =>
        feed.find((e) => e.deviceId === deviceId && e.counter === counter)?.seq;
      assert.deepEqual(seqs, [seqOf('CART-0001', 2), null, seqOf('CART-0002', 1)]);
      assert.ok(seqs[0]! < seqs[2]!, 'seqs follow the batch order');
    });

    it('keeps the body and signature exactly as sent', async (t) => {
      const store = await open(t);
      t.after(() => store.close());
      const r = record('CART-0001', 7, { body: '{"emoji":"🛒","n":1}' });
      await store.append([r]);
      const [got] = await store.latestForDevice('CART-0001', { limit: 1 });
      assert.equal(got?.body, r.body);
      assert.deepEqual(got?.signature, r.signature);
      assert.equal(got?.deviceTime, r.deviceTime);
    });

    it('answers latest-N for a device newest first, optionally by type', async (t) => {
      const store = await open(t);
      t.after(() => store.close());
      await store.append([
        record('CART-0001', 1),
        record('CART-0001', 2, { type: 'scan' }),
        record('CART-0001', 3),
        record('CART-0002', 4),
      ]);
      const latest = await store.latestForDevice('CART-0001', { limit: 2 });
      assert.deepEqual(
        latest.map((e) => e.counter),
        [3, 2],
      );
      const scans = await store.latestForDevice('CART-0001', { limit: 10, type: 'scan' });
      assert.deepEqual(
        scans.map((e) => e.counter),
        [2],
      );
      assert.deepEqual(await store.latestForDevice('CART-9999', { limit: 5 }), []);
    });

    it('pages a device newest first from the last event of the previous page', async (t) => {
      const store = await open(t);
      t.after(() => store.close());
      // Two events at one device time: the counter breaks the tie.
      await store.append([
        record('CART-0001', 1),
        record('CART-0001', 2, { type: 'fault' }),
        record('CART-0001', 3, { type: 'fault', deviceTime: T0 + 2000 }),
        record('CART-0001', 4, { type: 'fault' }),
      ]);
      const first = await store.latestForDevice('CART-0001', { limit: 2, type: 'fault' });
      assert.deepEqual(
        first.map((e) => e.counter),
        [4, 3],
      );
      const last = first[1]!;
      const rest = await store.latestForDevice('CART-0001', {
        limit: 5,
        type: 'fault',
        before: { deviceTime: last.deviceTime, counter: last.counter },
      });
      assert.deepEqual(
        rest.map((e) => e.counter),
        [2],
      );
    });

    it('meters each device of a period: messages, stored bytes and active UTC days', async (t) => {
      const store = await open(t);
      t.after(() => store.close());
      const DAY = 86_400_000;
      const day0 = Date.parse('2026-11-01T00:00:00.000Z');
      const at = (d: number, hour = 10) => day0 + d * DAY + hour * 3_600_000;
      await store.append([
        record('CART-0001', 1, { deviceTime: at(0), body: 'x'.repeat(100) }),
        record('CART-0001', 2, { deviceTime: at(0, 23), body: '€' }),
        record('CART-0001', 3, { deviceTime: at(4) }),
        record('CART-0002', 4, { deviceTime: at(1), storeId: 'paris-1' }),
        record('CC-0001', 5, { deviceTime: at(2), deviceClass: 'coldchain' }),
        record('CART-0001', 6, { deviceTime: at(30) }),
        record('CART-0001', 7, { deviceTime: day0 - 1 }),
      ]);
      const usage = await store.usageBetween(day0, day0 + 30 * DAY);
      const cart1 = usage.find((u) => u.deviceId === 'CART-0001');
      assert.equal(cart1?.messages, 3);
      assert.equal(cart1?.activeDays, 2, 'two events on day 0 count one day');
      const body3 = JSON.stringify({ device_id: 'CART-0001', counter: 3, type: 'health' });
      assert.equal(cart1?.bytes, 100 + 64 + 3 + 64 + body3.length + 64, 'UTF-8 bytes, not chars');
      assert.deepEqual(
        usage.map((u) => `${u.storeId}/${u.deviceId}/${u.deviceClass}`),
        ['berlin-1/CART-0001/cart', 'berlin-1/CC-0001/coldchain', 'paris-1/CART-0002/cart'],
      );
      assert.deepEqual(await store.usageBetween(day0 + 40 * DAY, day0 + 41 * DAY), []);
    });

    it('answers a store between two times, oldest first, end exclusive', async (t) => {
      const store = await open(t);
      t.after(() => store.close());
      await store.append([
        record('CART-0001', 1),
        record('CART-0002', 2),
        record('CART-0003', 3, { storeId: 'paris-1' }),
        record('CART-0001', 4),
      ]);
      const events = await store.storeEventsBetween('berlin-1', {
        from: T0 + 2000,
        to: T0 + 4000,
        limit: 100,
      });
      assert.deepEqual(
        events.map((e) => e.counter),
        [2],
      );
    });

    it('feeds changes in storage order from a cursor, and finds events by sequence', async (t) => {
      const store = await open(t);
      t.after(() => store.close());
      await store.append([record('CART-0002', 9), record('CART-0001', 1)]);
      await store.append([record('CART-0001', 1), record('CART-0001', 2)]);
      const all = await store.eventsAfter(0, 10);
      assert.deepEqual(
        all.map((e) => `${e.deviceId}:${e.counter}`),
        ['CART-0002:9', 'CART-0001:1', 'CART-0001:2'],
      );
      const rest = await store.eventsAfter(all[0]!.seq, 10);
      assert.equal(rest.length, 2);
      const picked = await store.eventsBySeq([all[2]!.seq, all[0]!.seq]);
      assert.deepEqual(
        picked.map((e) => e.counter),
        [9, 2],
      );
    });

    it('expires events past retention and keeps the rest', async (t) => {
      const store = await open(t, 30);
      t.after(() => store.close());
      await store.append([record('CART-0001', 1), record('CART-0001', 2)]);
      assert.equal(await store.expire(T0 + 29 * 86_400_000), 0);
      const removed = await store.expire(T0 + 30 * 86_400_000 + 1500);
      assert.equal(removed, 1);
      assert.deepEqual(
        (await store.eventsAfter(0, 10)).map((e) => e.counter),
        [2],
      );
    });
  });
}
