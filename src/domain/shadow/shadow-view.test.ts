import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shadowView } from './shadow-view.js';

const base = {
  deviceId: 'CART-1',
  desiredBy: 'ops:o',
  desiredAt: null,
  reportedCounter: 3,
  reportedAt: null,
};

describe('shadowView', () => {
  it('lists desired keys the device does not report as desired, and is in sync only once the version is acknowledged', () => {
    const view = shadowView('CART-1', {
      ...base,
      desired: { maintenance_mode: true, log_level: 'debug' },
      desiredVersion: 3,
      reported: { maintenance_mode: true, firmware_version: '2.5.0' },
      reportedDesiredVersion: 3,
    });
    assert.deepEqual(view.delta, { log_level: 'debug' });
    assert.equal(view.inSync, false);
    const acknowledgedOld = shadowView('CART-1', {
      ...base,
      desired: { maintenance_mode: true },
      desiredVersion: 3,
      reported: { maintenance_mode: true },
      reportedDesiredVersion: 2,
    });
    assert.deepEqual(acknowledgedOld.delta, {});
    assert.equal(acknowledgedOld.inSync, false, 'values agree, but version 3 is not acknowledged');
  });

  it('shows a device without a shadow as empty and in sync', () => {
    const view = shadowView('CART-1', undefined);
    assert.deepEqual(view.desired, {});
    assert.equal(view.desiredVersion, 0);
    assert.equal(view.reported, null);
    assert.equal(view.inSync, true);
  });
});
