import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceId } from '../../contract/ids.js';
import { fleetDiff, type FleetDiffInput, type RegisteredDevice } from './fleet-diff.js';

const NOW = Date.parse('2026-11-23T12:00:00.000Z');
const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

const registered = (serial: string, extra: Partial<RegisteredDevice> = {}): RegisteredDevice => ({
  serial: serial as DeviceId,
  class: 'cart',
  status: 'active',
  how: 'provisioned',
  registered_at: ago(10_000),
  ...extra,
});

const input = (over: Partial<FleetDiffInput> = {}): FleetDiffInput => ({
  storeId: 'store-1',
  registered: [
    registered('CART-1'),
    registered('CART-2'),
    registered('CART-3'),
    registered('CART-4'),
    registered('CART-5'),
    registered('CART-6', { status: 'revoked', revoked_at: ago(60) }),
  ],
  known: [
    { deviceId: 'CART-1', deviceClass: 'cart', connected: true, lastSeenAt: ago(1) },
    { deviceId: 'CART-2', deviceClass: 'cart', connected: false, lastSeenAt: ago(5) },
    { deviceId: 'CART-3', deviceClass: 'cart', connected: false, lastSeenAt: ago(45) },
    { deviceId: 'CART-6', deviceClass: 'cart', connected: false, lastSeenAt: ago(120) },
    // Known to the entity store only (its registry record is gone): still expected.
    { deviceId: 'TOOL-1', deviceClass: 'tool', connected: false, lastSeenAt: ago(2000) },
  ],
  now: NOW,
  seenWithin: '15m',
  limit: 100,
  withDevices: false,
  ...over,
});

describe('fleet diff', () => {
  it('puts each expected device in one state and lists revoked ones apart', () => {
    const diff = fleetDiff(input());
    assert.deepEqual(
      {
        expected: diff.expected,
        connected: diff.connected,
        recentlySeen: diff.recentlySeen,
        silent: diff.silent.map((d) => [d.deviceId, d.lastSeenAt]),
        neverSeen: diff.neverSeen.map((d) => [d.deviceId, d.registration]),
        revoked: diff.revoked.map((d) => d.deviceId),
      },
      {
        expected: 6,
        connected: 1,
        recentlySeen: 1,
        silent: [
          ['CART-3', ago(45)],
          ['TOOL-1', ago(2000)],
        ],
        neverSeen: [
          ['CART-4', 'provisioned'],
          ['CART-5', 'provisioned'],
        ],
        revoked: ['CART-6'],
      },
    );
    assert.equal(diff.silentCount + diff.neverSeenCount + diff.connected + diff.recentlySeen, 6);
    assert.equal(diff.devices, undefined);
    assert.equal(diff.truncated, false);
  });

  it('counts a device seen within a wider window as recently seen', () => {
    const hour = fleetDiff(input({ seenWithin: '1h' }));
    assert.equal(hour.recentlySeen, 2);
    const day = fleetDiff(input({ seenWithin: '24h' }));
    assert.equal(day.recentlySeen, 2);
    assert.deepEqual(
      day.silent.map((d) => d.deviceId),
      ['TOOL-1'],
    );
  });

  it('cuts each list at the limit but keeps the counts whole', () => {
    const diff = fleetDiff(input({ limit: 1, withDevices: true }));
    assert.equal(diff.truncated, true);
    assert.equal(diff.neverSeenCount, 2);
    assert.deepEqual(
      diff.neverSeen.map((d) => d.deviceId),
      ['CART-4'],
    );
    assert.deepEqual(
      diff.devices?.map((d) => [d.deviceId, d.state]),
      [['CART-1', 'connected']],
    );
  });
});
