import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { ColdchainTelemetry, CommandResponse } from '../../contract/index.js';
import { testDeviceParts, until } from '../../../test-support/test-device.js';
import { VirtualClock } from '../clock/virtual-clock.js';
import { mulberry32 } from '../random.js';
import { ColdchainSensor } from './coldchain-sensor.js';
import { Reefer } from './reefer.js';

const T0 = Date.parse('2026-07-01T06:00:00Z');
const MIN = 60_000;

async function sensor(t: TestContext, options: { dir?: string; queueCapacity?: number } = {}) {
  const parts = await testDeviceParts(t, 'coldchain', options.dir ? { dir: options.dir } : {});
  const clock = new VirtualClock(T0);
  const reefer = new Reefer({ start: T0, setPointC: 4, ambientMeanC: 25 });
  const dropped: number[] = [];
  const device = await ColdchainSensor.create({
    credentials: parts.credentials,
    flashDir: parts.flashDir,
    clock,
    link: parts.broker.factory,
    reefer,
    random: mulberry32(1),
    flashSync: false,
    observer: { dropped: (m) => dropped.push(m.counter) },
    ...(options.queueCapacity ? { queueCapacity: options.queueCapacity } : {}),
  });
  t.after(() => device.powerOff());
  return { ...parts, clock, reefer, device, dropped };
}

const readings = (s: { broker: { of(type: 'coldchain-telemetry'): ColdchainTelemetry[] } }) =>
  s.broker.of('coldchain-telemetry');

describe('cold-chain sensor', () => {
  it('reads every five minutes by default, stamped with the shipment the shadow binds it to', async (t) => {
    const s = await sensor(t);
    await s.device.powerOn();
    s.broker.sendDesired({
      schema_version: 1,
      device_id: 'CC-0001',
      type: 'shadow-desired',
      ts: new Date(T0).toISOString(),
      version: 1,
      desired: { shipment_id: 'SHP-42' },
    });
    await s.clock.runUntil(T0 + 31 * MIN);
    await until(() => readings(s).length === 6, 'six readings');
    const got = readings(s);
    assert.deepEqual(
      got.map((r) => Date.parse(r.ts) - T0),
      [5, 10, 15, 20, 25, 30].map((m) => m * MIN),
    );
    assert.ok(got.every((r) => r.shipment_id === 'SHP-42'));
    assert.ok(
      got.every((r) => Math.abs(r.temperature_c - 4) < 1.5),
      JSON.stringify(got),
    );
    const report = s.broker.of('shadow-report').at(-1)!;
    assert.equal(report.reported.shipment_id, 'SHP-42');
    assert.equal(report.reported.report_interval_s, 300);
  });

  it('takes set-interval once per command_id, across a reboot, and reads at the new spacing', async (t) => {
    const s = await sensor(t);
    await s.device.powerOn();
    const request = s.broker.command('set-interval', { interval_s: 60 }, { now: T0 });
    await until(() => s.broker.of('command-response').length === 1, 'the answer');
    await s.clock.runUntil(T0 + 5 * MIN);
    await until(() => readings(s).length >= 4, 'readings a minute apart');
    const ts = readings(s).map((r) => Date.parse(r.ts));
    assert.deepEqual(
      ts.slice(1).map((v, i) => v - ts[i]!),
      [MIN, MIN, MIN, MIN].slice(0, ts.length - 1),
    );

    await s.device.runtime.reboot('software');
    s.broker.deliver(request);
    s.broker.command('set-interval', { interval_s: 600 }, { id: request.command_id, now: T0 });
    await until(() => s.broker.of('command-response').length === 3, 'two more answers');
    const answers = s.broker.of('command-response') as CommandResponse[];
    assert.deepEqual(
      answers.map((a) => [a.command_id, a.status, a.duplicate]),
      [
        [request.command_id, 'succeeded', false],
        [request.command_id, 'succeeded', true],
        [request.command_id, 'succeeded', true],
      ],
    );
    assert.equal(s.device.intervalS, 60, 'the duplicate did not run again');
  });

  it('queues readings in flash through an outage and replays them in order, originals intact', async (t) => {
    const s = await sensor(t);
    await s.device.powerOn();
    await s.clock.runUntil(T0 + 10 * MIN);
    await until(() => readings(s).length === 2, 'two readings online');
    s.broker.reachable = false;
    s.broker.dropConnection();
    await s.clock.runUntil(T0 + 60 * MIN);
    await until(() => s.device.runtime.uplink.pending === 10, 'ten readings queued');
    assert.equal(readings(s).length, 2, 'nothing got through');
    s.broker.reachable = true;
    await s.clock.runUntil(T0 + 61 * MIN);
    await until(() => readings(s).length === 12, 'the replay');
    const got = readings(s);
    const counters = got.map((r) => r.counter);
    assert.deepEqual(
      counters,
      [...counters].sort((a, b) => a - b),
      'in counter order',
    );
    assert.deepEqual(
      got.map((r) => Date.parse(r.ts) - T0),
      Array.from({ length: 12 }, (_, i) => (i + 1) * 5 * MIN),
      'each with the time it was read',
    );
    assert.equal(s.broker.rejected.length, 0, 'no replay was refused as a duplicate');
  });

  it('drops the oldest reading when the queue is full, and counts what it dropped', async (t) => {
    const s = await sensor(t, { queueCapacity: 4 });
    await s.device.powerOn();
    await until(() => s.broker.of('boot').length === 1, 'the boot message');
    s.broker.reachable = false;
    s.broker.dropConnection();
    await s.clock.runUntil(T0 + 50 * MIN);
    await until(() => s.dropped.length === 6, 'six dropped');
    assert.equal(s.device.runtime.uplink.pending, 4);
    s.broker.reachable = true;
    await s.clock.runUntil(T0 + 51 * MIN);
    await until(() => readings(s).length === 4, 'the four newest');
    assert.deepEqual(
      readings(s).map((r) => Date.parse(r.ts) - T0),
      [35, 40, 45, 50].map((m) => m * MIN),
    );
    assert.equal(s.dropped.length, 6);
    assert.equal(s.device.runtime.droppedTotal, 6);
  });

  it('keeps its interval, binding and coulomb count in flash across a power cycle', async (t) => {
    const first = await sensor(t);
    await first.device.powerOn();
    first.broker.command('set-interval', { interval_s: 120 }, { now: T0 });
    await until(() => first.broker.of('command-response').length === 1, 'the answer');
    first.device.drainTo(0.9);
    await first.clock.runUntil(T0 + 2 * MIN);
    await until(() => readings(first).length === 1, 'a reading');
    await first.device.powerOff();
    const again = await sensor(t, { dir: first.dir });
    assert.equal(again.device.intervalS, 120);
    assert.equal(again.device.batteryPct(), 10);
  });

  it('goes silent on the silence fault: no reading after it, what it queued stays in flash', async (t) => {
    const s = await sensor(t);
    await s.device.powerOn();
    await s.clock.runUntil(T0 + 10 * MIN);
    await until(() => readings(s).length === 2, 'two readings');
    s.broker.reachable = false;
    s.broker.dropConnection();
    await s.clock.runUntil(T0 + 20 * MIN);
    await until(() => s.device.runtime.uplink.pending === 2, 'two queued');
    await s.device.silence();
    s.broker.reachable = true;
    await s.clock.runUntil(T0 + 60 * MIN);
    assert.equal(readings(s).length, 2);
    assert.equal(s.device.silent, true);
    assert.equal((await s.device.runtime.flash.readQueue()).length, 2);
  });
});
