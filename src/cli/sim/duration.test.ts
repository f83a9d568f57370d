import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, parseDuration } from './duration.js';

test('reads durations as people write them', () => {
  assert.equal(parseDuration('90s'), 90_000);
  assert.equal(parseDuration('15m'), 900_000);
  assert.equal(parseDuration('8h'), 28_800_000);
  assert.equal(parseDuration('7d'), 604_800_000);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('-90s'), -90_000);
});

test('refuses what is not a duration', () => {
  for (const bad of ['', '90', 's', '8 h', '8H', '1w', 'h8', '-', '1h-30m', '15m!'])
    assert.equal(parseDuration(bad), undefined, bad);
});

test('shows simulated time compactly', () => {
  assert.equal(formatDuration(5_400_000), '1h30m');
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(90_061_000), '1d1h1m1s');
});
