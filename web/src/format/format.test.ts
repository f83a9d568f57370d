import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  batteryLevel,
  formatAgo,
  formatBytes,
  formatDuration,
  formatMoney,
  formatSignal,
  humanize,
  signalLevel,
} from './format.js';

const NOW = Date.parse('2026-11-23T10:00:00.000Z');

describe('console formatting', () => {
  it('writes cents in the currency given, and a dash for no amount', () => {
    assert.equal(formatMoney(747, 'EUR'), '€7.47');
    assert.equal(formatMoney(120000, 'USD'), '$1,200.00');
    assert.equal(formatMoney(null, 'EUR'), '—');
    assert.equal(formatMoney(5, null), '0.05');
  });

  it('says how long ago in the largest whole unit', () => {
    assert.equal(formatAgo(null, NOW), 'never');
    assert.equal(formatAgo('2026-11-23T09:59:58.000Z', NOW), 'just now');
    assert.equal(formatAgo('2026-11-23T09:59:18.000Z', NOW), '42 s ago');
    assert.equal(formatAgo('2026-11-23T09:55:00.000Z', NOW), '5 min ago');
    assert.equal(formatAgo('2026-11-23T07:00:00.000Z', NOW), '3 h ago');
    assert.equal(formatAgo('2026-11-21T09:00:00.000Z', NOW), '2 d ago');
    assert.equal(formatAgo('not a time', NOW), 'unknown');
  });

  it('gives a duration in its two largest units', () => {
    assert.equal(formatDuration(80 * 60_000), '1 h 20 min');
    assert.equal(formatDuration(45_000), '45 s');
    assert.equal(formatDuration(2 * 86_400_000 + 3 * 3_600_000 + 59_000), '2 d 3 h');
    assert.equal(formatDuration(3_600_000), '1 h');
    assert.equal(formatDuration(-5), '0 s');
  });

  it('grades battery and signal as the platform does', () => {
    assert.equal(batteryLevel(9.5), 'bad');
    assert.equal(batteryLevel(19), 'warn');
    assert.equal(batteryLevel(20), 'good');
    assert.equal(batteryLevel(null), 'unknown');
    assert.equal(signalLevel(-81), 'warn');
    assert.equal(signalLevel(-80), 'good');
    assert.equal(formatSignal(-85), '-85 dBm (weak)');
    assert.equal(formatSignal(null), 'no report');
  });

  it('writes sizes in decimal units and codes as words', () => {
    assert.equal(formatBytes(999), '999 B');
    assert.equal(formatBytes(1_500_000), '1.5 MB');
    assert.equal(humanize('exit-without-pay'), 'Exit without pay');
    assert.equal(humanize('batteryHealth'), 'Battery health');
    assert.equal(humanize('weak_signal'), 'Weak signal');
  });
});
