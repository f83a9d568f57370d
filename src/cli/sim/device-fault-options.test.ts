import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../command.js';
import { parseDeviceFaultOptions } from './device-fault-options.js';

test('turns sensor and tool fault flags into the device simulator’s fault specs', () => {
  assert.deepEqual(
    parseDeviceFaultOptions({
      'door-open': ['at=1h,for=20m,devices=30%'],
      'gateway-down': ['at=2h,for=45m,devices=0.5'],
      shock: ['g=5.5'],
      'device-clock-skew': ['skew=-90s'],
      silence: ['at=3h,devices=10%'],
    }),
    [
      { kind: 'door-open', atMs: 3_600_000, fraction: 0.3, forMs: 1_200_000 },
      { kind: 'shock', atMs: 0, fraction: 0.1, g: 5.5 },
      { kind: 'silence', atMs: 10_800_000, fraction: 0.1 },
      { kind: 'device-clock-skew', atMs: 0, fraction: 0.1, skewMs: -90_000 },
      { kind: 'gateway-down', atMs: 7_200_000, fraction: 0.5, forMs: 2_700_000 },
    ],
  );
});

test('a malformed device fault flag is a usage error that names the flag and the fix', () => {
  const refused = (values: Record<string, string[]>, pattern: RegExp) =>
    assert.throws(
      () => parseDeviceFaultOptions(values),
      (e: unknown) => e instanceof UsageError && pattern.test(e.message),
    );
  refused({ 'door-open': ['carts=20%'] }, /--door-open: unknown 'carts' \(use at, for, devices\)/);
  refused({ shock: ['g=0'] }, /--shock: g= must be above 0/);
  refused({ 'device-clock-skew': ['at=1h'] }, /--device-clock-skew: skew= is required/);
  refused({ 'gateway-down': ['for=soon'] }, /--gateway-down: for=soon is not a duration/);
});
