import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareVersions } from './semver.js';

test('orders versions by major, minor and patch numerically, not as text', () => {
  assert.equal(compareVersions('1.10.0', '1.9.9'), 1);
  assert.equal(compareVersions('2.0.0', '10.0.0'), -1);
  assert.equal(compareVersions('1.2.3', '1.2.3'), 0);
});

test('a pre-release sorts before its release and numeric identifiers compare as numbers', () => {
  assert.equal(compareVersions('1.2.0-rc.1', '1.2.0'), -1);
  assert.equal(compareVersions('1.2.0-rc.10', '1.2.0-rc.9'), 1);
  assert.equal(compareVersions('1.2.0-rc', '1.2.0-rc.1'), -1);
  assert.equal(compareVersions('1.2.0-beta', '1.2.0-alpha'), 1);
});
