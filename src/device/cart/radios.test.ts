import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Radios } from './radios.js';
import { mulberry32 } from '../random.js';

describe('radios', () => {
  it('prefers WiFi, fails over to LTE-M, and has nothing when both are down', () => {
    const radios = new Radios(mulberry32(1));
    assert.equal(radios.best(), 'wifi');
    radios.setWifi(false);
    assert.equal(radios.best(), 'lte-m');
    radios.setCellular(false);
    assert.equal(radios.best(), 'none');
    radios.setWifi(true);
    assert.equal(radios.best(), 'wifi');
  });

  it('loses WiFi outside the store and adds 200–400 ms per publish over LTE-M', () => {
    const radios = new Radios(mulberry32(1));
    radios.setInStore(false);
    assert.equal(radios.best(), 'lte-m');
    for (let i = 0; i < 100; i++) {
      const ms = radios.latencyMs('lte-m');
      assert.ok(ms >= 200 && ms <= 400);
    }
    assert.equal(radios.latencyMs('wifi'), 0);
    assert.equal(radios.rssiDbm('none'), undefined);
  });
});
