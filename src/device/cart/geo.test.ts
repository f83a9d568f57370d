import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distanceM, insideGeofence, offsetEast } from './geo.js';

describe('geofence', () => {
  it('measures metres and tells inside from outside', () => {
    const store = { lat: 52.52, lon: 13.405, radiusM: 80 };
    const lot = offsetEast(store, 150);
    assert.ok(Math.abs(distanceM(store, lot) - 150) < 0.5);
    assert.equal(insideGeofence(offsetEast(store, 30), store), true);
    assert.equal(insideGeofence(lot, store), false);
  });
});
