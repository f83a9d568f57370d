import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  diffFigures,
  fleetDiffPath,
  rejectReasons,
  topErrorsPath,
  type ErrorDevice,
  type FleetDiff,
} from './fleet-health.js';

function device(deviceId: string, rejectsByReason: Record<string, number>): ErrorDevice {
  const rejects = Object.values(rejectsByReason).reduce((a, b) => a + b, 0);
  return {
    deviceId,
    storeId: 'berlin-1',
    deviceClass: 'cart',
    rejects,
    rejectsByReason,
    faults: 0,
    reboots: 0,
    total: rejects,
  };
}

describe('top error devices in the console', () => {
  it('gives each reject reason a column, the most frequent across the list first', () => {
    const reasons = rejectReasons([
      device('CART-1', { signature: 1, schema: 2 }),
      device('CART-2', { replay: 2, signature: 4 }),
      device('CART-3', {}),
    ]);
    assert.deepEqual(reasons, ['signature', 'replay', 'schema']);
    assert.deepEqual(rejectReasons([]), []);
  });

  it('asks for the chosen window and store', () => {
    assert.equal(topErrorsPath('24h'), '/v1/devices/top-errors?since=24h&limit=50');
    assert.equal(
      topErrorsPath('7d', 'berlin-1', 10),
      '/v1/devices/top-errors?since=7d&limit=10&store=berlin-1',
    );
  });
});

describe('a store fleet diff in the console', () => {
  it('asks for the store by its encoded id and the window', () => {
    assert.equal(fleetDiffPath('berlin-1', '1h'), '/v1/stores/berlin-1/fleet-diff?seenWithin=1h');
    assert.equal(fleetDiffPath('a/b', '15m'), '/v1/stores/a%2Fb/fleet-diff?seenWithin=15m');
  });

  it('shows the four states of the expected devices beside the expected count', () => {
    const diff: FleetDiff = {
      storeId: 'berlin-1',
      seenWithin: '15m',
      asOf: '2026-12-06T10:00:00.000Z',
      expected: 5,
      connected: 1,
      recentlySeen: 1,
      silentCount: 1,
      neverSeenCount: 2,
      revokedCount: 1,
      silent: [],
      neverSeen: [],
      revoked: [],
      truncated: false,
    };
    const figures = diffFigures(diff);
    assert.deepEqual(figures[0], ['Expected', 5]);
    const states = figures.slice(1, 5).reduce((sum, [, n]) => sum + n, 0);
    assert.equal(states, diff.expected);
    assert.deepEqual(figures.at(-1), ['Revoked', 1]);
  });
});
