import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../command.js';
import { parseFaultOptions } from './fault-options.js';

test('turns fault flags into the simulator’s fault specs', () => {
  assert.deepEqual(
    parseFaultOptions({
      'links-down': ['at=2h,for=15m,carts=20%'],
      'clock-skew': ['skew=-90s,carts=0.1'],
      corrupt: ['rate=5%,for=1h'],
      miscalibrate: ['offset=60'],
      reboot: ['at=1h'],
    }),
    [
      { kind: 'links-down', atMs: 7_200_000, fraction: 0.2, forMs: 900_000 },
      { kind: 'clock-skew', atMs: 0, fraction: 0.1, skewMs: -90_000 },
      { kind: 'corrupt-payloads', atMs: 0, fraction: 0.1, forMs: 3_600_000, rate: 0.05 },
      { kind: 'miscalibrated-weight', atMs: 0, fraction: 0.1, offsetG: 60 },
      { kind: 'reboot', atMs: 3_600_000, fraction: 0.1 },
    ],
  );
});

test('a malformed fault flag is a usage error that names the flag', () => {
  for (const [flag, text, says] of [
    ['wifi-down', 'at=2x', /--wifi-down: at=2x is not a duration/],
    ['wifi-down', 'when=2h', /unknown 'when'/],
    ['battery-cliff', 'carts=150%', /share/],
    ['clock-skew', 'carts=10%', /skew= is required/],
    ['corrupt', 'rate', /not key=value/],
    ['miscalibrate', 'offset=6.5', /whole grams/],
  ] as const) {
    assert.throws(
      () => parseFaultOptions({ [flag]: [text] }),
      (e: unknown) => {
        assert.ok(e instanceof UsageError);
        assert.match(e.message, says);
        return true;
      },
    );
  }
});
