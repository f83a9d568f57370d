import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceMessage } from '../../contract/index.js';
import {
  checkDeviceInvariants,
  type DeviceLedger,
  type StoredMessage,
  type TelemetryView,
} from './device-invariants.js';

const T0 = Date.parse('2026-07-01T06:00:00Z');

function reading(counter: number, extra: Record<string, unknown> = {}): DeviceMessage {
  return {
    schema_version: 1,
    device_id: 'CC-1',
    type: 'coldchain-telemetry',
    counter,
    ts: new Date(T0 + counter * 60_000).toISOString(),
    temperature_c: 4.1,
    humidity_pct: 88,
    shock_g: 0.1,
    battery_pct: 99,
    ...extra,
  } as DeviceMessage;
}

function ledger(created: DeviceMessage[], extra: Partial<DeviceLedger> = {}): DeviceLedger {
  return {
    deviceId: 'CC-1',
    deviceClass: 'coldchain',
    created,
    dropped: new Set(),
    held: new Set(),
    commands: [],
    operators: new Set(),
    ...extra,
  };
}

function view(stored: object[], statuses: Record<string, string> = {}): TelemetryView {
  return {
    events: () =>
      Promise.resolve(stored.map((s) => ({ ...s, received_at: 'x' }) as unknown as StoredMessage)),
    commandStatus: (id) => Promise.resolve(statuses[id]),
  };
}

const kinds = (r: Awaited<ReturnType<typeof checkDeviceInvariants>>) =>
  r.violations.map((v) => v.kind);

describe('device invariants', () => {
  it('hold when every reading is stored once, as sent', async () => {
    const made = [reading(1), reading(2), reading(3)];
    const report = await checkDeviceInvariants([ledger(made)], view(made));
    assert.deepEqual(report.violations, []);
    assert.equal(report.checkedReadings, 3);
  });

  it('name a missing, a doubled, an altered and a phantom reading; a dropped one is not missing', async () => {
    const made = [reading(1), reading(2), reading(3), reading(4), reading(5)];
    const stored = [made[1]!, made[1]!, { ...made[2]!, temperature_c: 9 }, made[4]!, reading(9)];
    const report = await checkDeviceInvariants(
      [ledger(made, { dropped: new Set([4]) })],
      view(stored),
    );
    assert.deepEqual(kinds(report).sort(), [
      'reading-altered',
      'reading-duplicated',
      'reading-missing',
      'reading-phantom',
    ]);
    assert.match(report.violations.find((v) => v.kind === 'reading-missing')!.detail, /counter 1 /);
  });

  it('catches counters that go back, commands answered twice or not at all, and an operator in clear', async () => {
    const answer = (id: string, duplicate: boolean, counter: number) =>
      ({
        ...reading(counter),
        type: 'command-response',
        command_id: id,
        status: 'succeeded',
        duplicate,
      }) as unknown as DeviceMessage;
    const made = [
      reading(5),
      reading(4),
      answer('c1', false, 6),
      answer('c1', false, 7),
      answer('c2', true, 8),
    ];
    const stored = [reading(5), { ...reading(4), note: 'OP-7' }];
    const report = await checkDeviceInvariants(
      [ledger(made, { commands: ['c1', 'c2'], operators: new Set(['OP-7']) })],
      view(stored, { c1: 'succeeded', c2: 'succeeded' }),
    );
    assert.deepEqual(kinds(report).sort(), [
      'command-answered-twice',
      'command-unanswered',
      'counter-not-monotonic',
      'operator-in-clear',
      'reading-altered',
    ]);
  });
});
