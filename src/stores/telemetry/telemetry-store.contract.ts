import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { DeviceMessageType } from '../../contract/index.js';
import { EVENTS_FIELD } from './daily-aggregates.js';
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

    describe('retention: fold into daily aggregates, then delete', () => {
      const DAY = 86_400_000;
      const day0 = Date.parse('2025-03-10T00:00:00.000Z');
      const health = (counter: number, deviceTime: number, battery: number, lat = 52.5) =>
        record('CART-0001', counter, {
          deviceTime,
          body: JSON.stringify({
            device_id: 'CART-0001',
            counter,
            type: 'health',
            battery_pct: battery,
            charging: false,
            location: { lat, lon: 13.4 },
            tags: [1, 2],
          }),
        });
      const sample = () => [
        health(1, day0 + 1_000, 80),
        health(2, day0 + 5_000, 70, 52.6),
        record('CART-0001', 3, { type: 'scan', deviceTime: day0 + 9_000 }),
        health(4, day0 + DAY + 1_000, 60),
        health(5, day0 + 2 * DAY + 1_000, 50),
        record('CART-0002', 6, { deviceTime: day0 + 2_000 }),
      ];
      const byKey = (rows: Awaited<ReturnType<TelemetryStore['dailyAggregates']>>) =>
        Object.fromEntries(rows.map((r) => [`${r.day} ${r.type} ${r.field}`, r]));

      it('plans, then folds days before the cutoff into count, min, max and mean, and deletes their events', async (t) => {
        const store = await open(t);
        t.after(() => store.close());
        await store.append(sample());
        const cutoff = day0 + 2 * DAY;
        assert.deepEqual(await store.retentionDue(cutoff, day0), {
          rawEvents: 5,
          aggregateDays: 0,
        });
        assert.equal(await store.count(), 6, 'a plan changes nothing');
        const outcome = await store.foldBefore(cutoff);
        assert.deepEqual(outcome, { folded: 5, alreadyFolded: 0 });
        assert.deepEqual(
          (await store.latestForDevice('CART-0001', { limit: 10 })).map((e) => e.counter),
          [5],
          'only the day after the cutoff keeps its raw events',
        );
        assert.equal(await store.count(), 1);
        const rows = byKey(await store.dailyAggregates('CART-0001', day0, day0 + 10 * DAY));
        assert.deepEqual(Object.keys(rows).sort(), [
          '2025-03-10 health #events',
          '2025-03-10 health battery_pct',
          '2025-03-10 health location.lat',
          '2025-03-10 health location.lon',
          '2025-03-10 scan #events',
          '2025-03-11 health #events',
          '2025-03-11 health battery_pct',
          '2025-03-11 health location.lat',
          '2025-03-11 health location.lon',
        ]);
        const battery = rows['2025-03-10 health battery_pct']!;
        assert.deepEqual([battery.count, battery.min, battery.max, battery.mean], [2, 70, 80, 75]);
        assert.equal(battery.storeId, 'berlin-1');
        assert.equal(battery.deviceClass, 'cart');
        const events = rows[`2025-03-10 health ${EVENTS_FIELD}`]!;
        assert.deepEqual([events.count, events.min, events.mean], [2, null, null]);
        assert.equal(rows['2025-03-10 scan #events']?.count, 1);
        assert.equal((await store.dailyAggregates('CART-0002', day0, day0 + DAY))[0]?.count, 1);
        assert.deepEqual(await store.retentionDue(cutoff, day0), {
          rawEvents: 0,
          aggregateDays: 0,
        });
      });

      it('counts each event once when it runs again, and merges a late event into its day', async (t) => {
        const store = await open(t);
        t.after(() => store.close());
        await store.append(sample());
        const cutoff = day0 + 2 * DAY;
        await store.foldBefore(cutoff);
        assert.deepEqual(await store.foldBefore(cutoff), { folded: 0, alreadyFolded: 0 });
        await store.append([health(7, day0 + 7_000, 90)]);
        assert.deepEqual(await store.foldBefore(cutoff), { folded: 1, alreadyFolded: 0 });
        const battery = byKey(await store.dailyAggregates('CART-0001', day0, day0 + DAY))[
          '2025-03-10 health battery_pct'
        ]!;
        assert.deepEqual([battery.count, battery.min, battery.max, battery.mean], [3, 70, 90, 80]);
      });

      it('deletes the aggregates of days before the second cutoff and keeps the rest', async (t) => {
        const store = await open(t);
        t.after(() => store.close());
        await store.append(sample());
        await store.foldBefore(day0 + 3 * DAY);
        assert.deepEqual(await store.retentionDue(day0, day0 + DAY), {
          rawEvents: 0,
          aggregateDays: 2,
        });
        assert.equal(
          await store.dropAggregatesBefore(day0 + DAY),
          2,
          'CART-0001 and CART-0002 of day 0',
        );
        assert.deepEqual(
          [
            ...new Set(
              (await store.dailyAggregates('CART-0001', day0, day0 + 9 * DAY)).map((r) => r.day),
            ),
          ],
          ['2025-03-11', '2025-03-12'],
        );
        assert.equal(await store.dropAggregatesBefore(day0 + DAY), 0);
        assert.equal(await store.count(), 0);
        assert.deepEqual(
          await store.usageBetween(0, day0 + 9 * DAY),
          [],
          'aggregates are not events',
        );
      });
    });
  });
}
